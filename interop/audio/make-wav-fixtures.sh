#!/usr/bin/env bash
# Makes the WAV fixtures of WavFileTest with SoX (Debian package sox): one short signal (0.02 s at 8 kHz: a 440 Hz
# tone in the left channel, a 1,250 Hz one in the right, each at 0.45, mixed to mono for all but the stereo file)
# written in every encoding the reader takes (SoX writes 24- and 32-bit PCM as WAVE_FORMAT_EXTENSIBLE), each beside
# SoX's own decoding of it as raw 32-bit floats (NAME.f32): the reference the test holds the reader to.
#   interop/audio/make-wav-fixtures.sh [OUT_DIR]   (default: tests/src/test/resources/lanes/tests/audio)
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/../.." && pwd)/tests/src/test/resources/lanes/tests/audio}"
mkdir -p "$out"
base="$out/.signal.wav"
sox -D -R -n -r 8000 -c 2 -b 32 -e floating-point "$base" synth 0.02 sine 440 sine 1250 vol 0.45
sox -D -R "$base" "$out/.mono.wav" remix 1,2
write() {       # NAME, then sox's output options
  local name="$1"; shift
  sox -D -R "$out/.mono.wav" "$@" "$out/$name.wav"
  sox -D -R "$out/$name.wav" -t f32 -c 1 "$out/$name.f32" remix -
}
write pcm-u8 -b 8 -e unsigned-integer
write pcm-s16 -b 16 -e signed-integer
write pcm-s24 -b 24 -e signed-integer
write pcm-s32 -b 32 -e signed-integer
write float32 -b 32 -e floating-point
write float64 -b 64 -e floating-point
write mulaw -b 8 -e mu-law
write alaw -b 8 -e a-law
sox -D -R "$base" -b 16 -e signed-integer "$out/stereo-s16.wav"
sox -D -R "$out/stereo-s16.wav" -t f32 -c 1 "$out/stereo-s16.f32" remix 1v0.5,2v0.5
sox -D -R "$out/.mono.wav" -r 44100 -b 16 -e signed-integer "$out/rate44100-s16.wav" rate -v
sox -D -R "$out/rate44100-s16.wav" -t f32 "$out/rate44100-s16.f32"
rm -f "$base" "$out/.mono.wav"
ls -l "$out"
