"""One module per screen; views parse the request, call one service or selector, and render a page or a partial."""
