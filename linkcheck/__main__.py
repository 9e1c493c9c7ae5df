"""python -m linkcheck"""

from .console import main

main()
