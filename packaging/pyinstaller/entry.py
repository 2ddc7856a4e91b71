"""Entry point of the PyInstaller bundle."""

from explorer.__main__ import main

raise SystemExit(main())
