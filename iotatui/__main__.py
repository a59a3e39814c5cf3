from iotatui.cli import main

main()
