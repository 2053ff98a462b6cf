from chemprops.cli import main

main()
