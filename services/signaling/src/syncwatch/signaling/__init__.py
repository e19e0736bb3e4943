"""SyncWatch signaling service: the voice roster, the WebRTC signal relay and ICE/TURN credential minting."""
