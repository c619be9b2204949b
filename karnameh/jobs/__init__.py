"""Long jobs (a province's PDFs, big exports, recomputing a cycle) run as tasks with progress."""
