"""The LetterDesk data store: Peewee models, opening, migrations, queries."""
