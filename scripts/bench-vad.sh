#!/usr/bin/env bash
# Voice-activity detection, on against off, with the same binary in the same run (figures for BENCHMARKS.md):
#  (b) a generated 10-minute podcast-like file (espeak-ng speech; about a quarter is a music intro and outro, and
#      silences, a music-like bed and noise between paragraphs): wall time (GNU time) and word error rate against the
#      text that was spoken;
#  (c) ten generated files without speech (silence, noise colours, tones, chords, clicks, hum, a sweep): how many
#      give any text at all.
#   scripts/bench-vad.sh [runs=3] [threads=2]
# CAST2MD overrides the command (default bin/cast2md), e.g. CAST2MD="dotnet cli/bin/Release/net10.0/cast2md.dll".
# Needs ffmpeg, espeak-ng, sox, python3 and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}; threads=${2:-2}
shared=${CAST2MD_SHARED:-../shared}
model=$shared/models/ggml-tiny-q8_0.bin
vad_model=$shared/models/ggml-silero-v6.2.0.bin
read -r -a cast2md <<< "${CAST2MD:-bin/cast2md}"
# BENCH_VAD_KEEP=DIR keeps the generated files and transcripts there (to read what each side wrote).
if [ -n "${BENCH_VAD_KEEP:-}" ]; then work=$BENCH_VAD_KEEP; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
for tool in ffmpeg espeak-ng sox python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench-vad: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
# sox -D everywhere: without it sox dithers with random noise, and each run would transcribe a slightly different file.
pcm=(-r 16000 -c 1 -b 16 -e signed-integer)

# Sentences of a made-up gardening show; paragraphs take them in a fixed shuffled order.
sentences=(
  "Good morning, and welcome back to the garden hour."
  "Today we talk about planting trees in the autumn."
  "The soil is still warm, and the roots have time to grow."
  "Choose a spot with plenty of light and some shelter from the wind."
  "Dig a hole that is twice as wide as the roots."
  "Water the young tree well, even when it rains."
  "A layer of leaves keeps the ground moist and soft."
  "Apple trees like a sunny place and good drainage."
  "Cherry trees need a little more care in the first year."
  "Many listeners asked us about small gardens."
  "You can grow beans and herbs in a pot on the balcony."
  "Basil needs warmth, and mint will grow almost anywhere."
  "Our next guest has kept bees for twenty years."
  "She says the bees are busy from early spring until late summer."
  "Flowers with simple petals are the easiest for them to visit."
  "Please leave a corner of the lawn to grow wild."
  "Birds will come for the seeds when the weather turns cold."
  "A small pond brings frogs, and frogs eat the snails."
  "In the winter we clean the tools and plan the beds."
  "Sharp tools make clean cuts, and clean cuts heal quickly."
  "Keep the seeds in a dry box in a cool room."
  "Potatoes go into the ground when the frost is over."
  "Tomatoes want sun, water at the roots, and a stick to lean on."
  "Pick the beans often, and the plant will make more."
  "Thank you for all the letters you sent this month."
  "One reader grew a pumpkin that was bigger than her dog."
  "Another found an old rose under a hedge and saved it."
  "We love to hear what grows in your garden."
  "That is all for today, so go outside and enjoy the fresh air."
  "See you next week on the garden hour."
)

# The show's shape: a music intro, six paragraphs of speech with breaks between them, a music outro ("kind seconds").
intro="chords 25"; outro="chords 35"
breaks=("silence 15" "noise 20" "chords 35" "brown 18" "silence 12")
# Natural pauses between sentences (seconds), cycled: most stay inside one stretch of speech, the longest are cut.
pauses=(0.35 0.6 0.35 1.2 0.5 0.35 0.9)

chords_expr="(0.3+0.2*abs(sin(4*PI*t)))*0.25*(if(lt(mod(t\,4)\,1)\,sin(2*PI*261.6*t)+sin(2*PI*329.6*t)+sin(2*PI*392.0*t)+0.5*sin(2*PI*523.3*t)\,if(lt(mod(t\,4)\,2)\,sin(2*PI*220.0*t)+sin(2*PI*261.6*t)+sin(2*PI*329.6*t)+0.5*sin(2*PI*440.0*t)\,if(lt(mod(t\,4)\,3)\,sin(2*PI*174.6*t)+sin(2*PI*220.0*t)+sin(2*PI*261.6*t)+0.5*sin(2*PI*349.2*t)\,sin(2*PI*196.0*t)+sin(2*PI*246.9*t)+sin(2*PI*293.7*t)+0.5*sin(2*PI*392.0*t)))))"

lavfi() { # lavfi SOURCE SECONDS OUT
  ffmpeg -nostdin -loglevel error -y -f lavfi -i "$1" -t "$2" -ac 1 -ar 16000 -c:a pcm_s16le "$3"
}

non_speech() { # non_speech KIND SECONDS OUT
  case $1 in
    silence) lavfi "anullsrc=r=16000:cl=mono" "$2" "$3" ;;
    chords) lavfi "aevalsrc=$chords_expr:s=16000" "$2" "$3" ;;
    noise) lavfi "anoisesrc=r=16000:c=pink:a=0.08:seed=7" "$2" "$3" ;;
    brown) lavfi "anoisesrc=r=16000:c=brown:a=0.2:seed=11" "$2" "$3" ;;
  esac
}

duration() { soxi -D "$1"; }

# (b) The podcast: intro, six paragraphs of about 80 s of speech with a break between two, outro.
echo "generating the podcast-like file ..." >&2
parts=(); : > "$work/reference.txt"
speech_s=0; nonspeech_s=0; n=0
add_non_speech() { # add_non_speech "KIND SECONDS" NAME
  local kind seconds; read -r kind seconds <<< "$1"
  non_speech "$kind" "$seconds" "$work/$2.wav"
  parts+=("$work/$2.wav")
  nonspeech_s=$(awk -v a="$nonspeech_s" -v b="$seconds" 'BEGIN{print a+b}')
}
add_non_speech "$intro" intro
for p in 0 1 2 3 4 5; do
  paragraph_s=0
  while awk -v s="$paragraph_s" 'BEGIN{exit !(s < 80)}'; do
    text=${sentences[$(( (n * 7) % ${#sentences[@]} ))]}
    pause=${pauses[$(( n % ${#pauses[@]} ))]}
    espeak-ng -v en-us -s 150 -w "$work/raw.wav" "$text"
    sox -D "$work/raw.wav" "${pcm[@]}" "$work/s$n.wav" silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse
    lavfi "anullsrc=r=16000:cl=mono" "$pause" "$work/pause$n.wav"
    parts+=("$work/s$n.wav" "$work/pause$n.wav")
    paragraph_s=$(awk -v a="$paragraph_s" -v b="$(duration "$work/s$n.wav")" -v c="$pause" 'BEGIN{print a+b+c}')
    printf '%s\n' "$text" >> "$work/reference.txt"
    n=$((n + 1))
  done
  speech_s=$(awk -v a="$speech_s" -v b="$paragraph_s" 'BEGIN{print a+b}')
  [ "$p" -lt 5 ] && add_non_speech "${breaks[$p]}" "break$p"
done
add_non_speech "$outro" outro
podcast=$work/podcast.wav
sox -D "${parts[@]}" "${pcm[@]}" "$podcast"
total_s=$(duration "$podcast")

wer() { # wer REFERENCE HYPOTHESIS: word error rate in percent (substitutions + deletions + insertions over reference words)
  python3 - "$1" "$2" <<'PY'
import re, sys
def words(path):
    return re.findall(r"[a-z']+", open(path, encoding="utf-8").read().lower())
ref, hyp = words(sys.argv[1]), words(sys.argv[2])
previous = list(range(len(hyp) + 1))
for i, r in enumerate(ref, 1):
    current = [i] + [0] * len(hyp)
    for j, h in enumerate(hyp, 1):
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
    previous = current
print(f"{100.0 * previous[-1] / max(len(ref), 1):.1f}")
PY
}

measure() { # measure OUT ARGS...: prints wall seconds
  local out=$1; shift
  /usr/bin/time -f '%e' -o "$work/t" "${cast2md[@]}" transcribe "$podcast" --model "$model" --threads "$threads" --language en \
    --beam-size 5 --progress none -f txt -o "$out" "$@" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  cat "$work/t"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# Another busy process on the machine skews both sides (whisper's threads spin while they wait): the load is printed.
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%d), load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: ${cast2md[*]}; model $(basename "$model"), threads $threads, beam 5, language en; median of $runs alternating runs"
printf 'file: %.1f s, of which %.1f s speech (%d sentences, with pauses of 0.35-1.2 s) and %.1f s music, silence and noise (%.0f %%)\n' \
  "$total_s" "$speech_s" "$n" "$nonspeech_s" "$(awk -v a="$nonspeech_s" -v b="$total_s" 'BEGIN{print 100*a/b}')"
echo
on=(); off=(); on_wer=(); off_wer=()
for i in $(seq "$runs"); do
  on+=("$(measure "$work/on-$i.txt" --vad --vad-model "$vad_model")"); on_wer+=("$(wer "$work/reference.txt" "$work/on-$i.txt")")
  off+=("$(measure "$work/off-$i.txt" --no-vad)"); off_wer+=("$(wer "$work/reference.txt" "$work/off-$i.txt")")
done
echo "| run | wall time (median) | WER (median) | wall time of each run | WER of each run |"
echo "| --- | --- | --- | --- | --- |"
echo "| VAD on (default) | $(median "${on[@]}") s | $(median "${on_wer[@]}") % | ${on[*]} | ${on_wer[*]} |"
echo "| VAD off (--no-vad) | $(median "${off[@]}") s | $(median "${off_wer[@]}") % | ${off[*]} | ${off_wer[*]} |"
echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

# (c) Ten files without speech, 30 s each.
echo
echo "generating ten files without speech ..." >&2
declare -A sources=(
  [silence]="anullsrc=r=16000:cl=mono"
  [white-noise]="anoisesrc=r=16000:c=white:a=0.1:seed=1"
  [pink-noise]="anoisesrc=r=16000:c=pink:a=0.3:seed=2"
  [brown-noise]="anoisesrc=r=16000:c=brown:a=0.5:seed=3"
  [tone-440]="sine=f=440:r=16000"
  [chords]="aevalsrc=$chords_expr:s=16000"
  [clicks]="aevalsrc=0.8*lt(mod(t\,0.5)\,0.002):s=16000"
  [hum-50hz]="aevalsrc=0.3*sin(2*PI*50*t)+0.15*sin(2*PI*100*t)+0.1*sin(2*PI*150*t):s=16000"
  [sweep]="aevalsrc=0.4*sin(2*PI*(100*t+40*t*t)):s=16000"
  [chords-in-noise]="aevalsrc=$chords_expr+0.05*(random(0)-0.5):s=16000"
)
has_text() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if any(s["text"].strip() for s in d["segments"]) else 1)' "$1"; }
with_on=0; with_off=0; rows=()
for name in silence white-noise pink-noise brown-noise tone-440 chords clicks hum-50hz sweep chords-in-noise; do
  lavfi "${sources[$name]}" 30 "$work/$name.wav"
  "${cast2md[@]}" transcribe "$work/$name.wav" --model "$model" --threads "$threads" --progress none -o "$work/$name-on.json" --vad --vad-model "$vad_model" 2>/dev/null
  "${cast2md[@]}" transcribe "$work/$name.wav" --model "$model" --threads "$threads" --progress none -o "$work/$name-off.json" --no-vad 2>/dev/null
  a=no; b=no
  has_text "$work/$name-on.json" && { a=yes; with_on=$((with_on + 1)); }
  has_text "$work/$name-off.json" && { b=yes; with_off=$((with_off + 1));
    b="yes: \"$(python3 -c 'import json,sys; print(" ".join(s["text"].strip() for s in json.load(open(sys.argv[1]))["segments"])[:60])' "$work/$name-off.json")\""; }
  rows+=("| $name | $a | $b |")
done
echo "| file (30 s) | text with VAD on | text with VAD off |"
echo "| --- | --- | --- |"
printf '%s\n' "${rows[@]}"
echo "| **files with any text** | **$with_on of 10** | **$with_off of 10** |"
