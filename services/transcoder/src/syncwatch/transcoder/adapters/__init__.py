"""The transcoder's edges: HTTP, outbound fetches of user-given links."""
