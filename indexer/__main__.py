import sys

from indexer.build.cli import main

sys.exit(main())
