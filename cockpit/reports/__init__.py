"""Reports: response times, pages and incident counts, on screen (charts and tables) and as CSV."""
