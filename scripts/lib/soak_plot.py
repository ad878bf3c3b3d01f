"""samples.csv -> soak.png with gnuplot: FDs, threads, RSS, containers followed and churn over time."""
import os
import shutil
import subprocess

GNUPLOT_SCRIPT = r"""
set terminal pngcairo size 1200,1400 font ",10"
set output "{png}"
set datafile separator ","
set key top right opaque box
set grid
set yrange [0:*]
set offsets 0, 0, graph 0.15, 0
set xlabel "minutes"
set multiplot layout 4,1 title "{title}"
set arrow 1 from {warmup_min},graph 0 to {warmup_min},graph 1 nohead dashtype 2 lc rgb "gray"
set label 1 "warm-up end" at {warmup_min},graph 0.05 offset 0.5,0 tc rgb "gray"
set ylabel "open FDs"
plot "{csv}" using (column("elapsed_s")/60):"fds" with lines lw 2 title "FDs (/proc)", \
     "" using (column("elapsed_s")/60):"fds_net" with lines lw 2 title "FDs - expected sockets (judged)"
set ylabel "threads"
plot "{csv}" using (column("elapsed_s")/60):"threads" with linespoints pt 7 ps 0.4 lw 2 title "threads"
set ylabel "RSS (MiB)"
plot "{csv}" using (column("elapsed_s")/60):(column("rss_kib")/1024) with lines lw 2 title "VmRSS", \
     "" using (column("elapsed_s")/60):(column("pipeline_memory_bytes")/1048576) with lines title "pipeline memory"
set ylabel "containers"
set y2label "containers started / min"
set y2tics
set y2range [0:*]
set ytics nomirror
plot "{csv}" using (column("elapsed_s")/60):"containers_followed" with steps lw 2 title "containers followed (file or API)", \
     "" using (column("elapsed_s")/60):"container_streams_active" with steps lw 1 title "of them through API streams", \
     "" using (column("elapsed_s")/60):"churn_per_min" axes x1y2 with lines lw 2 title "churn: starts + restarts per minute (right axis)"
unset multiplot
"""


def plot(out_dir, title, warmup_s):
    """Writes soak.png next to samples.csv; returns its path, or None without gnuplot."""
    if shutil.which("gnuplot") is None:
        return None
    csv_path = os.path.join(out_dir, "samples.csv")
    png = os.path.join(out_dir, "soak.png")
    script = GNUPLOT_SCRIPT.format(png=png, csv=csv_path, title=title,
                                   warmup_min=warmup_s / 60)
    script_path = os.path.join(out_dir, "soak.gnuplot")
    with open(script_path, "w") as f:
        f.write(script)
    result = subprocess.run(["gnuplot", script_path], capture_output=True, text=True)
    if result.returncode != 0:
        print(f"soak: gnuplot failed: {result.stderr.strip()}")
        return None
    return png
