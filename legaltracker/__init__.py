"""legaltracker: pre-proceedings and legal tracking for children's services."""
