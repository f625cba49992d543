"""Checks of .ci/report-check on a report's layout at 1280 px, from the DOM Chromium dumped after
a probe script measured it: the page does not scroll sideways (a wide summary table scrolls
inside its own box), the main metric's column header lies inside the window, and the table's
first column is sticky. Standard library only."""
import json
import re
import sys


def main():
    dom, name = sys.argv[1], sys.argv[2]
    match = re.search(r"data-layout='([^']*)'", dom) or re.search(r'data-layout="([^"]*)"', dom)
    if not match:
        sys.exit(f"report-check: FAIL: {name}: the layout probe did not run (no data-layout in the dumped DOM)")
    layout = json.loads(match.group(1).replace("&quot;", '"'))
    window = layout["window"]
    if window != 1280:
        sys.exit(f"report-check: FAIL: {name}: the window is {window} px wide, not 1280")
    if layout["page"] > window:
        sys.exit(f"report-check: FAIL: {name}: the page is {layout['page']} px wide in a {window} px window (it scrolls sideways)")
    main_metric = layout.get("main")
    if not main_metric:
        sys.exit(f"report-check: FAIL: {name}: the summary table marks no main metric column")
    if main_metric["left"] < 0 or main_metric["right"] > window:
        sys.exit(f"report-check: FAIL: {name}: the main metric {main_metric['name']} is at "
                 f"{main_metric['left']:.0f}–{main_metric['right']:.0f} px, outside the {window} px window")
    if layout["firstColumn"] != "sticky":
        sys.exit(f"report-check: FAIL: {name}: the summary table's first column is {layout['firstColumn']}, not sticky")
    print(f"report-check: {name} at {window} px: page {layout['page']} px wide, table {layout['table']} px inside a "
          f"{layout['box']} px box, main metric {main_metric['name']} at {main_metric['left']:.0f}–{main_metric['right']:.0f} px")


main()
