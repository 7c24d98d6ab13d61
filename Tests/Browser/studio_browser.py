"""The studio in headless Chromium, driven by Playwright: prompt to result page, the 3D
view, the slice scrubber, a download, and nothing fetched from elsewhere.

    python3 Tests/Browser/studio_browser.py http://127.0.0.1:PORT [--screenshots DIR]

Prints one line per check; exits 1 on the first failed check, 77 when Playwright or
Chromium is missing (the Swift test that runs it reports a skip).
"""
import argparse
import os
import sys
import urllib.parse

try:
    from playwright.sync_api import sync_playwright
except ImportError:
    print("skip: Playwright for Python is not installed (pip install playwright)")
    sys.exit(77)

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
                 if os.path.exists(p)), None)
if CHROMIUM is None:
    print("skip: no Chromium at /usr/bin/chromium")
    sys.exit(77)

# Pixels of the WebGL canvas: how many differ from the background, how many grey levels the
# shading uses, and a coarse fingerprint to compare two views.
CANVAS_STATS = """(canvas) => {
  const copy = document.createElement('canvas');
  copy.width = canvas.width; copy.height = canvas.height;
  const context = copy.getContext('2d');
  context.drawImage(canvas, 0, 0);
  const data = context.getImageData(0, 0, copy.width, copy.height).data;
  const background = [data[0], data[1], data[2]];
  let part = 0; const levels = new Set(); const cells = new Array(64).fill(0);
  for (let i = 0; i < data.length; i += 4) {
    const d = Math.abs(data[i] - background[0]) + Math.abs(data[i + 1] - background[1]) + Math.abs(data[i + 2] - background[2]);
    if (d > 24) {
      part++;
      levels.add(Math.round((data[i] + data[i + 1] + data[i + 2]) / 12));
      const p = i / 4, x = p % copy.width, y = Math.floor(p / copy.width);
      cells[Math.floor(8 * y / copy.height) * 8 + Math.floor(8 * x / copy.width)]++;
    }
  }
  return { part: part / (data.length / 4), levels: levels.size, cells: cells };
}"""


def wait_until(page, expression, timeout_s=30.0):
    """Polls `expression` in the page until it is true (the pages' policy forbids the eval
    that Playwright's wait_for_function uses)."""
    for _ in range(int(timeout_s * 10)):
        if page.evaluate(expression):
            return True
        page.wait_for_timeout(100)
    return False


class Check:
    def __init__(self):
        self.failures = 0

    def __call__(self, condition, message):
        print(("ok    " if condition else "FAIL  ") + message, flush=True)
        if not condition:
            self.failures += 1
            raise SystemExit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--screenshots")
    parser.add_argument("--size", default="48")
    parser.add_argument("--downloads", default="/tmp", help="where the downloaded file is saved")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    origin = urllib.parse.urlsplit(base).netloc
    check = Check()
    shots = args.screenshots
    if shots:
        os.makedirs(shots, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
        page = context.new_page()
        problems, foreign = [], []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: foreign.append(r.url)
                if urllib.parse.urlsplit(r.url).netloc != origin and not r.url.startswith(("data:", "blob:")) else None)

        # A prompt typed and submitted reaches its result page.
        page.goto(base + "/")
        check(page.title().startswith("CephaloForge studio"), "the new-design page opens")
        page.fill("#prompt", "spinodal foam, 35% solid, 10 mm cube")
        page.select_option("#size", args.size)
        page.fill("#seed", "3")
        page.click("#describe-button")
        page.wait_for_selector("#described:not([hidden])")
        check("spinodal" in page.inner_text("#recipe-json"), "describe shows the recipe before anything runs")
        if shots:
            page.screenshot(path=os.path.join(shots, "studio-new.png"))
        page.click("#generate-button")
        page.wait_for_url("**/designs/*", timeout=30_000)
        design_url = page.url
        check("/designs/" in design_url, "submitting leads to the design's page")
        page.wait_for_selector("canvas#viewer[data-ready=true]", timeout=300_000)
        check(page.inner_text("h1") != "", "the page shows the finished design")

        # The 3D view: a shaded part that turns when dragged.
        canvas = page.query_selector("canvas#viewer")
        before = canvas.evaluate(CANVAS_STATS)
        check(0.05 < before["part"] < 0.95, f"the 3D view shows a part ({before['part']:.0%} of the canvas)")
        check(before["levels"] >= 12, f"the part is shaded ({before['levels']} grey levels)")
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2 + 120, box["y"] + box["height"] / 2 + 40, steps=8)
        page.mouse.up()
        after = canvas.evaluate(CANVAS_STATS)
        moved = sum(abs(a - b) for a, b in zip(before["cells"], after["cells"])) / max(1, sum(before["cells"]))
        check(moved > 0.02, f"dragging turns the part ({moved:.1%} of its pixels moved between cells)")
        page.fill("#section", "40")
        page.dispatch_event("#section", "input")
        cut = canvas.evaluate(CANVAS_STATS)
        check(cut["part"] < after["part"] * 0.95, "the section plane cuts the part away")

        # The slice scrubber changes the slice shown.
        first = page.get_attribute("#slice", "src")
        last = page.get_attribute("#slice-scrubber", "max")
        page.fill("#slice-scrubber", last)
        page.dispatch_event("#slice-scrubber", "input")
        wait_until(page, "document.getElementById('slice').complete && document.getElementById('slice').naturalWidth > 0")
        second = page.get_attribute("#slice", "src")
        check(first != second and second.endswith(f"z{int(last):04d}.png"), f"the scrubber shows another slice ({second})")
        check(page.evaluate("document.getElementById('slice').naturalWidth") == int(args.size), "the slice image loads")
        if shots:
            page.screenshot(path=os.path.join(shots, "studio-design.png"))

        # A download link returns the file.
        with page.expect_download() as waiting:
            page.click("ul.files a[href$='model.stl']")
        download = waiting.value
        target = os.path.join(args.downloads, "studio-download-%d.stl" % os.getpid())
        download.save_as(target)
        size = os.path.getsize(target)
        design_id = design_url.rstrip("/").split("/")[-1]
        listed = page.evaluate(f"fetch('/api/designs/{design_id}/files').then(r => r.json())")
        expected = next(f["bytes"] for f in listed["files"] if f["path"] == "model.stl")
        check(size == expected and size > 84, f"the download link returns model.stl ({size} bytes)")
        with open(target, "rb") as stl:
            header = stl.read(84)
        check(84 + 50 * int.from_bytes(header[80:84], "little") == size, "the downloaded STL is a whole binary STL")

        # The gallery lists it with its preview.
        page.goto(base + "/#gallery")
        card = page.query_selector(f"a[href='/designs/{design_id}'] img")
        check(card is not None, "the gallery shows the design with its preview")
        page.query_selector("#gallery").scroll_into_view_if_needed()
        check(wait_until(page, "Array.from(document.querySelectorAll('#gallery img')).every(i => i.complete && i.naturalWidth > 0)"),
              "the gallery's previews load")
        if shots:
            page.query_selector("#gallery").screenshot(path=os.path.join(shots, "studio-gallery.png"))

        # Iterate: round 1, then the proposed adjustment applied starts round 2; both side by side.
        page.goto(base + "/")
        page.fill("#prompt", "spinodal foam, 30% solid, 10 mm cube")
        page.fill("#target", "spinodal foam, 45% solid")
        page.select_option("#size", "32")
        page.click("#iterate-button")
        page.wait_for_url("**/designs/*-iterate-*", timeout=30_000)
        page.wait_for_selector("#next-round", timeout=300_000)
        check(page.locator("#rounds > li").count() == 1, "the iterate page shows round 1 and its proposals")
        check(page.locator("#proposals tr.proposal").count() >= 2, "the critic's adjustment is offered beside one of your own")
        page.click("#apply-button")
        page.wait_for_selector("#rounds > li[data-round='2']", timeout=300_000)
        page.wait_for_selector("#next-round", timeout=300_000)
        check(page.locator("#rounds > li").count() == 2, "applying the adjustment ran round 2, shown beside round 1")
        check("Changed (you)" in page.inner_text("#rounds > li[data-round='2']"), "round 2 says it took your decision")
        if shots:
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=os.path.join(shots, "studio-iterate.png"))

        # Batch: a sweep from the form; the manifest table sorts and filters; a variant opens.
        page.goto(base + "/")
        page.fill("#sweep", 'base: { prompt: "spinodal foam, 30% solid, 10 mm cube" }\nsize: 32\n'
                  'grid: { solid_fraction: [0.25, 0.35] }\nseeds: [1, 2]\n')
        page.select_option("#batch-properties", "off")
        page.click("#batch-button")
        page.wait_for_url("**/designs/*-batch-*", timeout=30_000)
        page.wait_for_selector("#manifest", timeout=300_000)
        check(page.locator("#manifest tbody tr").count() == 4, "the batch page lists its four variants")
        column = page.get_attribute("#manifest th:text-is('solid_fraction')", "data-column")
        cell = "#manifest tbody tr td:nth-child(%d)" % (int(column) + 2)
        page.click("#manifest th:text-is('solid_fraction')")
        page.click("#manifest th:text-is('solid_fraction')")
        values = [float(t) for t in page.locator(cell).all_inner_texts()]
        check(values == sorted(values, reverse=True), f"a heading sorts the variants ({values})")
        page.fill("#variant-filter", "0.25")
        page.dispatch_event("#variant-filter", "input")
        visible = page.locator("#manifest tbody tr:not([hidden])").count()
        check(visible == 2, f"the filter keeps the matching variants ({visible} of 4)")
        if shots:
            page.screenshot(path=os.path.join(shots, "studio-batch.png"), full_page=True)
        page.click("#manifest tbody tr:not([hidden]) td:nth-child(2) a")
        page.wait_for_selector("canvas#viewer[data-ready=true]", timeout=60_000)
        check("/variants/" in page.url, "a variant opens on its own page with the 3D view")

        check(not problems, "no console errors" + ("" if not problems else f": {problems}"))
        check(not foreign, "nothing fetched from outside the studio" + ("" if not foreign else f": {foreign}"))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
