"""Result rows as the C binaries write them (src/core/output.c): the CSV contract, a JSON
array of row objects, or a human table; each row flushed as soon as it is written."""

import sys

CSV_HEADER = ("workload,backend,threads,tasks,schedule,bind,params,rep,wall_s,cpu_s,checksum,"
              "verified,runtime,placement,metrics,disturbed")


def _dash(s):
    return s if s else "-"


class Output:
    def __init__(self, fmt, out=sys.stdout):
        self.fmt = fmt
        self.out = out
        self.rows = 0

    def begin(self):
        if self.fmt == "csv":
            self.out.write(CSV_HEADER + "\n")
        elif self.fmt == "json":
            self.out.write("[\n")
        else:
            self.out.write("%-10s %-8s %7s %8s %-12s %5s %12s %12s %-16s %s\n" % (
                "workload", "backend", "threads", "tasks", "schedule", "rep", "wall_s",
                "cpu_s", "checksum", "verified"))
        self.out.flush()

    def row(self, r):
        """r: a dict with the columns of CSV_HEADER."""
        if self.fmt == "csv":
            self.out.write("%s,%s,%d,%d,%s,%s,%s,%d,%.9f,%.6f,%016x,%d,%s,%s,%s,%s\n" % (
                r["workload"], r["backend"], r["threads"], r["tasks"], r["schedule"],
                r["bind"], r["params"], r["rep"], r["wall_s"], r["cpu_s"], r["checksum"],
                1 if r["verified"] else 0, _dash(r["runtime"]), _dash(r["placement"]),
                _dash(r["metrics"]), _dash(r["disturbed"])))
        elif self.fmt == "json":
            # Values come from the parameter checks, which refuse quotes and backslashes.
            self.out.write(
                '%s{"workload":"%s","backend":"%s","threads":%d,"tasks":%d,'
                '"schedule":"%s","bind":"%s","params":"%s","rep":%d,'
                '"wall_s":%.9f,"cpu_s":%.6f,"checksum":"%016x","verified":%s,'
                '"runtime":"%s","placement":"%s","metrics":"%s","disturbed":"%s"}' % (
                    ",\n" if self.rows else "", r["workload"], r["backend"], r["threads"],
                    r["tasks"], r["schedule"], r["bind"], r["params"], r["rep"], r["wall_s"],
                    r["cpu_s"], r["checksum"], "true" if r["verified"] else "false",
                    _dash(r["runtime"]), _dash(r["placement"]), _dash(r["metrics"]),
                    _dash(r["disturbed"])))
        else:
            self.out.write("%-10s %-8s %7d %8d %-12s %5d %12.6f %12.6f %016x %s%s\n" % (
                r["workload"], r["backend"], r["threads"], r["tasks"], r["schedule"], r["rep"],
                r["wall_s"], r["cpu_s"], r["checksum"], "yes" if r["verified"] else "NO",
                " (disturbed)" if r["disturbed"] == "1" else ""))
        self.rows += 1
        self.out.flush()

    def end(self):
        if self.fmt == "json":
            self.out.write("\n]\n" if self.rows else "]\n")
        self.out.flush()
