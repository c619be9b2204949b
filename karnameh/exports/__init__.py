"""Excel exports of staff tables, and the package sent to the national organization."""
