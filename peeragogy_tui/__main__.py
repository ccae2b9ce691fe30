"""``python -m peeragogy_tui`` does what the ``peeragogy`` command does."""

from peeragogy_tui.launch import main

if __name__ == "__main__":
    main()
