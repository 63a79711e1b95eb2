from actiontrack.commands import main

main()
