/* Vectorised transcendental functions, shared by the Cython modules that
 * include it (_kernels: the eager kernels; _fused: dt.jit's fused tiles).
 *
 * dt_v_NAME_TAG(x, y, n): y[i] = NAME(x[i]) for i < n (y may alias x), for
 * NAME in sin, cos, exp, expneg (exp(-x)), log, tanh, sqrt and TAG in f64, f32.
 *
 * Built with -DDUALTAPE_LIBMVEC (setup.py defines it where glibc's libmvec
 * links, x86-64 Linux) the functions call libmvec's AVX2 variants
 * (_ZGVdN4v_sin, _ZGVdN8v_sinf, ...; <= 4 ulp) from functions compiled for
 * AVX2+FMA only (target attribute), selected at import by a CPUID check
 * (dt_simd = dt_simd_supported()), so the module still loads and runs the
 * scalar libm loop on CPUs without AVX2 and on other platforms.  A tail
 * shorter than one vector is padded, so every element goes through the same
 * routine wherever it sits.  Each including module has its own dt_simd.
 */
#ifndef DUALTAPE_VECMATH_H
#define DUALTAPE_VECMATH_H
#include <math.h>
#include <string.h>
#if defined(DUALTAPE_LIBMVEC) && defined(__x86_64__) && \
    (defined(__GNUC__) || defined(__clang__))
#define DT_VEC 1
#include <immintrin.h>
#else
#define DT_VEC 0
#endif

static int dt_simd = 0;   /* 1: AVX2 libmvec primitives in use */

static int dt_simd_supported(void) {
#if DT_VEC
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

#if DT_VEC
#define DT_AVX2 __attribute__((target("avx2,fma")))
DT_AVX2 __m256d _ZGVdN4v_sin(__m256d);
DT_AVX2 __m256d _ZGVdN4v_cos(__m256d);
DT_AVX2 __m256d _ZGVdN4v_exp(__m256d);
DT_AVX2 __m256d _ZGVdN4v_log(__m256d);
DT_AVX2 __m256d _ZGVdN4v_tanh(__m256d);
DT_AVX2 __m256 _ZGVdN8v_sinf(__m256);
DT_AVX2 __m256 _ZGVdN8v_cosf(__m256);
DT_AVX2 __m256 _ZGVdN8v_expf(__m256);
DT_AVX2 __m256 _ZGVdN8v_logf(__m256);
DT_AVX2 __m256 _ZGVdN8v_tanhf(__m256);

/* y[i] = CALL(v) with v = x[i..i+W), W lanes of type VT. */
#define DT_AVX2_LOOP(NAME, T, VT, W, LOAD, STORE, SET1, CALL)             \
static DT_AVX2 void dt_avx2_##NAME(const T *x, T *y, Py_ssize_t n) {      \
    Py_ssize_t i = 0;                                                     \
    VT v;                                                                 \
    for (; i + W <= n; i += W) {                                          \
        v = LOAD(x + i);                                                  \
        STORE(y + i, CALL);                                               \
    }                                                                     \
    if (i < n) {                                                          \
        T t[W];                                                           \
        STORE(t, SET1((T)1));                                             \
        memcpy(t, x + i, (size_t)(n - i) * sizeof(T));                    \
        v = LOAD(t);                                                      \
        STORE(t, CALL);                                                   \
        memcpy(y + i, t, (size_t)(n - i) * sizeof(T));                    \
    }                                                                     \
}
#define DT_AVX2_F64(NAME, CALL) DT_AVX2_LOOP(NAME##_f64, double, __m256d, \
    4, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_set1_pd, CALL)
#define DT_AVX2_F32(NAME, CALL) DT_AVX2_LOOP(NAME##_f32, float, __m256,   \
    8, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_set1_ps, CALL)
#define DT_NEG_PD(v) _mm256_xor_pd(v, _mm256_set1_pd(-0.0))
#define DT_NEG_PS(v) _mm256_xor_ps(v, _mm256_set1_ps(-0.0f))
DT_AVX2_F64(sin, _ZGVdN4v_sin(v))
DT_AVX2_F64(cos, _ZGVdN4v_cos(v))
DT_AVX2_F64(exp, _ZGVdN4v_exp(v))
DT_AVX2_F64(expneg, _ZGVdN4v_exp(DT_NEG_PD(v)))
DT_AVX2_F64(log, _ZGVdN4v_log(v))
DT_AVX2_F64(tanh, _ZGVdN4v_tanh(v))
DT_AVX2_F64(sqrt, _mm256_sqrt_pd(v))
DT_AVX2_F32(sin, _ZGVdN8v_sinf(v))
DT_AVX2_F32(cos, _ZGVdN8v_cosf(v))
DT_AVX2_F32(exp, _ZGVdN8v_expf(v))
DT_AVX2_F32(expneg, _ZGVdN8v_expf(DT_NEG_PS(v)))
DT_AVX2_F32(log, _ZGVdN8v_logf(v))
DT_AVX2_F32(tanh, _ZGVdN8v_tanhf(v))
DT_AVX2_F32(sqrt, _mm256_sqrt_ps(v))
#define DT_DISPATCH(NAME) if (dt_simd) { dt_avx2_##NAME(x, y, n); return; }
#else
#define DT_DISPATCH(NAME)
#endif

/* dt_v_NAME_TAG(x, y, n): y[i] = NAME(x[i]) for i < n (y may alias x). */
#define DT_PRIM(NAME, TAG, T, EXPR)                                       \
static void dt_v_##NAME##_##TAG(const T *x, T *y, Py_ssize_t n) {         \
    Py_ssize_t i;                                                         \
    DT_DISPATCH(NAME##_##TAG)                                             \
    for (i = 0; i < n; i++) y[i] = EXPR;                                  \
}
DT_PRIM(sin, f64, double, sin(x[i]))
DT_PRIM(cos, f64, double, cos(x[i]))
DT_PRIM(exp, f64, double, exp(x[i]))
DT_PRIM(expneg, f64, double, exp(-x[i]))
DT_PRIM(log, f64, double, log(x[i]))
DT_PRIM(tanh, f64, double, tanh(x[i]))
DT_PRIM(sqrt, f64, double, sqrt(x[i]))
DT_PRIM(sin, f32, float, sinf(x[i]))
DT_PRIM(cos, f32, float, cosf(x[i]))
DT_PRIM(exp, f32, float, expf(x[i]))
DT_PRIM(expneg, f32, float, expf(-x[i]))
DT_PRIM(log, f32, float, logf(x[i]))
DT_PRIM(tanh, f32, float, tanhf(x[i]))
DT_PRIM(sqrt, f32, float, sqrtf(x[i]))

#endif
