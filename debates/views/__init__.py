"""The debates app's pages, one module per page family; debates/urls.py imports the modules."""
