#include "inputs/docker/docker_input_metrics.hpp"

namespace lc::docker_input {

DockerInputMetrics::DockerInputMetrics(MetricsRegistry& r)
    : lines_stdout(r.counter("log_capturer_lines_total", "Log lines captured (new, not re-read).",
                             {{"stream", "stdout"}})),
      lines_stderr(r.counter("log_capturer_lines_total", "Log lines captured (new, not re-read).",
                             {{"stream", "stderr"}})),
      bytes(r.counter("log_capturer_bytes_total", "Bytes of captured log messages.")),
      streams_opened(r.counter("log_capturer_container_streams_opened_total",
                               "Container log streams opened (follow and catch-up reads).")),
      streams_closed(r.counter("log_capturer_container_streams_closed_total",
                               "Container log streams closed, on every path.")),
      streams_active(
          r.gauge("log_capturer_container_streams_active", "Container log streams open now.")),
      malformed_streams(r.counter("log_capturer_container_stream_errors_total",
                                  "Container log streams reset from their checkpoint.",
                                  {{"reason", "malformed"}})),
      stream_errors(r.counter("log_capturer_container_stream_errors_total",
                              "Container log streams reset from their checkpoint.",
                              {{"reason", "transport"}})),
      truncated_lines(r.counter("log_capturer_lines_truncated_total",
                                "Lines cut at max_line_bytes (flagged truncated).")),
      skipped_records(
          r.counter("log_capturer_records_skipped_total",
                    "Records re-read after a resume and dropped as already delivered.")),
      replayed_lines(r.counter("log_capturer_records_replayed_dropped_total",
                               "Lines dockerd's follow stream sent a second time (at json-file "
                               "rotation) and that were dropped.")),
      catch_up_reads(r.counter("log_capturer_container_catch_up_reads_total",
                               "Reads to the end of the log after a container stopped.")),
      follows_stalled(r.counter(
          "log_capturer_container_follows_stalled_total",
          "Follow streams closed because the agent left them unread over 0.5 s (sinks pushing "
          "back): dockerd's follower skips rotated files when left behind; plain reads took "
          "over.")),
      history_gaps(r.counter(
          "log_capturer_container_history_gaps_total",
          "Resumes through the Engine API that found a stream's last delivered line already "
          "gone from the container's log (rotated away unread): lines after it may be lost.")),
      containers_followed(
          r.gauge("log_capturer_containers_followed", "Containers with a live log stream task.")),
      containers_from_files(r.gauge("log_capturer_containers_read_from_file",
                                    "Followed containers whose json-file log is read directly "
                                    "(the others are streamed through the Engine API).")),
      containers_unreadable(r.counter(
          "log_capturer_docker_containers_unreadable_total",
          "Containers not captured because inputs.docker.mode is file and their log is not a "
          "readable json-file log.")),
      events(r.counter("log_capturer_docker_events_total", "Container events received.")),
      events_reconnects(r.counter("log_capturer_docker_events_reconnects_total",
                                  "Times the events stream was (re)opened after a failure.")),
      resyncs(r.counter("log_capturer_docker_resyncs_total",
                        "Full container lists taken to resynchronise.")) {}

}  // namespace lc::docker_input
