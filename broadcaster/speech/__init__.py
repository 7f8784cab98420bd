"""Speech: Vietnamese text normalisation, TTS engines and audio post-processing."""
