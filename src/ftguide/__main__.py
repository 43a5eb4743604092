from ftguide.cli import main

main()
