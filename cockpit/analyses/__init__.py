"""Post-incident analyses: the analysis screen and its forms, the Markdown export, the CLI."""
