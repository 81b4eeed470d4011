"""``python -m dualtape`` runs the seed tutorial; ``python -m dualtape bench``
times dualtape beside numpy (and peers where installed); ``python -m dualtape
dashboard`` publishes the asv dashboard so that it works offline."""
import sys

USAGE = "usage: python -m dualtape [bench [--quick] [--plot FILE] | dashboard [--config PATH]]"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "bench":
        from .bench import main as bench_main
        return bench_main(argv[1:])
    if argv and argv[0] == "dashboard":
        from .dashboard import main as dashboard_main
        return dashboard_main(argv[1:])
    if argv:
        print(USAGE, file=sys.stderr)
        return 2
    from .tutorial import run
    run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
