import sys

from threadtui.cli import main

sys.exit(main())
