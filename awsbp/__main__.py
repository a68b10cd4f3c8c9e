"""Run the awsbp command line: ``python -m awsbp``."""

from awsbp.cli import main

raise SystemExit(main())
