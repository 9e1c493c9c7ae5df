"""python -m linkcheck"""

from .cli import main

main()
