"""The station agent: pulls playlists and audio, plays them on time, logs every airing.

See :mod:`broadcaster.agent.runtime` for how its parts fit together.
"""
