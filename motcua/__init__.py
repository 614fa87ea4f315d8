"""motcua: a provincial digital one-stop shop (một cửa điện tử) for Vietnamese public services."""
