"""The packet: plan, draw (cover, index, tabs, certificates), write, editions, sizes."""
