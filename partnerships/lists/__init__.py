"""What every public list shares, in both apps: pages (filtering, sorting, pagination,
export), the export files, and the pieces filters are made of."""
