"""Pure rules of LetterDesk: no Qt, no database, plain values in and out.

This is the place to read (and test) what the app advises: the request status
machine, timing rules, coverage of program requirements and next actions.
"""
