"""The public portal (دولت‌سنج): published results only, no sign-in."""
