"""Real-browser test: headless Chromium through chromedriver, driven by selenium.

Starts `masar serve` on a new database with the demo programme, then, in a phone-sized window:
a participant registers in Arabic, votes with dots and changes the vote; a facilitator closes
the vote; the public results page shows it; the Arabic pages are right-to-left and the English
switch turns them left-to-right. Screenshots of each step are saved in the screenshots folder.

Every page it visits is also checked by axe-core (bundled by axe-selenium-python) in Arabic and in
English, at phone (390x844) and desktop (1280x900) sizes, forms folded in <details> opened: any
critical or serious violation fails the run, listed by rule, impact, target and page.

Usage: python3 journey.py MASAR_BINARY SERVICES_FOLDER SCREENSHOT_FOLDER
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import axe_selenium_python
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

MASAR, SERVICES, SHOTS = sys.argv[1:4] if len(sys.argv) >= 4 else (None, None, None)
DEMO_PASSWORD = "masar-demo-2026"
AXE_SCRIPT = os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js")
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
LANGUAGE_COOKIE = "masar_lang"
# Impacts that fail the run; moderate and minor ones are printed only.
FAILING_IMPACTS = ("critical", "serious")
# axe-core's default rules, plus its two duplicate-id rules (deprecated since WCAG 2.2 dropped
# 4.1.1, so off by default): a repeated id still breaks a label's or an aria-*'s reference.
AXE_OPTIONS = {"resultTypes": ["violations", "incomplete"],
               "rules": {"duplicate-id": {"enabled": True}, "duplicate-id-active": {"enabled": True}}}
# What axe-core could not decide is printed for a person to review, except an id repeated where a
# label or an aria-* attribute refers to it: axe asks for review only in case it does not matter,
# but a repeated referenced id always points a label at the wrong field.
FAILING_REVIEWS = ("duplicate-id-aria",)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Journey(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="masar-browser-")
        cls.port = free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        cls.server = subprocess.Popen(
            [MASAR, "serve", "--db", os.path.join(cls.folder, "lab.sqlite"), "--demo-catalogue", SERVICES,
             "--port", str(cls.port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(cls.base + "/", timeout=2)
                break
            except OSError:
                if time.time() > deadline or cls.server.poll() is not None:
                    raise RuntimeError("masar serve did not start: " + (cls.server.stdout.read() if cls.server.poll() is not None else ""))
                time.sleep(0.3)
        cls.browser = cls.new_browser()
        cls.twin = None
        with open(AXE_SCRIPT, encoding="utf8") as f:
            cls.axe_source = f.read()
        cls.violations = []
        cls.axe_runs = 0
        os.makedirs(SHOTS, exist_ok=True)

    @staticmethod
    def new_browser():
        options = Options()
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=390,844"]:
            options.add_argument(argument)
        options.binary_location = "/usr/bin/chromium"
        browser = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        browser.implicitly_wait(5)
        return browser

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        if cls.twin:
            cls.twin.quit()
        if cls.server.poll() is None:
            cls.server.terminate()
            cls.server.wait(timeout=30)

    def test_zy_accessibility(self):
        # Runs after the journey: every page it checked, both languages and sizes, had no critical
        # or serious axe-core violation (nor a repeated id that a label or aria-* refers to).
        self.assertGreater(self.axe_runs, 0)
        self.assertEqual(len(self.violations), 0, "axe-core's failing results:\n" + "\n".join(self.violations))

    def test_zz_graceful_shutdown(self):
        # Runs last (unittest orders tests by name): SIGTERM lets the server finish and exit 0.
        self.server.terminate()
        self.assertEqual(self.server.wait(timeout=30), 0)

    def shot(self, name):
        # The whole page, as tall as it is, at phone width.
        height = self.browser.execute_script("return document.documentElement.scrollHeight")
        self.browser.set_window_size(390, min(max(height, 844), 6000))
        self.browser.save_screenshot(os.path.join(SHOTS, name + ".png"))
        self.browser.set_window_size(390, 844)

    def go(self, path):
        self.browser.get(self.base + path)

    def axe(self, browser, page):
        """Runs axe-core on the page as it is in `browser`, at each size; records what fails."""
        language = self.language(browser)
        # Forms folded in <details> are checked too (axe-core skips what is hidden), then folded back.
        opened = "window.masarOpened = [...document.querySelectorAll('details:not([open])')];" \
                 "window.masarOpened.forEach(d => d.open = true);"
        for size, (width, height) in SIZES.items():
            browser.set_window_size(width, height)
            if not browser.execute_script("return typeof axe !== 'undefined'"):
                browser.execute_script(self.axe_source)
            browser.execute_script(opened)
            results = browser.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, arguments[0]).then(done, e => done({error: String(e)}));", AXE_OPTIONS)
            browser.execute_script("window.masarOpened.forEach(d => d.open = false);")
            self.assertNotIn("error", results, results.get("error"))
            type(self).axe_runs += 1
            for kind, found in [("violation", results["violations"]), ("to review", results["incomplete"])]:
                for rule in found:
                    passing = {}  # Printed once a rule and impact, with a count and the first element.
                    for node in rule["nodes"]:
                        impact = node.get("impact") or rule["impact"]
                        failing = rule["id"] in FAILING_REVIEWS if kind == "to review" else impact in FAILING_IMPACTS
                        target = " ".join(map(str, node["target"]))
                        if failing:
                            self.violations.append("%s (%s, %s) %s on %s [%s, %s]: %s" % (
                                rule["id"], impact, kind, target, page, language, size,
                                node.get("failureSummary", "").replace("\n", " ")))
                        else:
                            passing.setdefault(impact, [0, target])[0] += 1
                    for impact, (count, target) in passing.items():
                        print("axe, not failing: %s (%s, %s) on %s [%s, %s]: %d elements, e.g. %s" % (
                            rule["id"], impact, kind, page, language, size, count, target), file=sys.stderr)
        browser.set_window_size(*SIZES["phone"])

    def check(self, page, twin=None):
        """Checks the page now shown with axe-core, at both sizes, in its language and then in the
        other one: by reloading it with the other language's cookie (a page reached by GET), or, for
        the answer to a form, in the English twin browser that `twin` brings to the same state."""
        b = self.browser
        self.axe(b, page)
        if twin:
            twin(self.twin_browser())
            self.axe(self.twin, page)
            return
        url = b.current_url
        language = self.language(b)
        b.add_cookie({"name": LANGUAGE_COOKIE, "value": "en" if language == "ar" else "ar", "path": "/"})
        b.get(url)
        self.axe(b, page)
        b.add_cookie({"name": LANGUAGE_COOKIE, "value": language, "path": "/"})
        b.get(url)

    @staticmethod
    def language(browser):
        """The language the browser asks for: its language cookie, else the default, Arabic."""
        cookie = browser.get_cookie(LANGUAGE_COOKIE)
        return cookie["value"] if cookie else "ar"

    def twin_browser(self):
        """A second browser, in English, for the answers to forms (which a reload would post again)."""
        if not self.twin:
            type(self).twin = self.new_browser()
            self.twin.get(self.base + "/")
            self.twin.add_cookie({"name": LANGUAGE_COOKIE, "value": "en", "path": "/"})
        return self.twin

    def field(self, name):
        return self.browser.find_element(By.NAME, name)

    def click_and_load(self, css):
        """Clicks, then waits for the next page to replace this one (a form's answer, a link)."""
        # A mark on this page's window: a new page comes without it. (Waiting for an element to go
        # stale trips over Chromium's inspector now and then.)
        self.browser.execute_script("window.masarOldPage = true")
        self.browser.find_element(By.CSS_SELECTOR, css).click()
        WebDriverWait(self.browser, 10).until(
            lambda d: d.execute_script("return window.masarOldPage !== true && document.readyState === 'complete'"))

    def submit(self, form_action):
        self.click_and_load(f"form[action='{form_action}'] button[type=submit]")

    def sign_out(self):
        self.click_and_load("form.signout button")

    def test_journey(self):
        b = self.browser
        # The public home page: Arabic, right to left, as the browser lays it out.
        self.go("/")
        html = b.find_element(By.TAG_NAME, "html")
        self.assertEqual(html.get_attribute("lang"), "ar")
        self.assertEqual(html.get_attribute("dir"), "rtl")
        self.assertEqual(b.execute_script("return getComputedStyle(document.body).direction"), "rtl")
        self.assertIn("تقدم البرنامج", b.find_element(By.TAG_NAME, "h1").text)
        self.shot("01-home-ar")
        self.check("home")
        # The other public pages, and a page that is not there.
        for path in ["/services", "/life-events", "/signin", "/staff/signin", "/no-such-page"]:
            self.go(path)
            self.check(path)

        # A participant registers on the digital track, in Arabic, verified by the demo phase's
        # eligibility list (civil IDs 10000001 to 10000020, born 1990; the first is taken).
        self.go("/register")
        self.check("register")
        self.field("name").send_keys("مريم البلوشية")
        self.field("password").send_keys("كلمة-مرور-طويلة")
        self.field("civilID").send_keys("10000002")
        self.field("birthYear").send_keys("1990")
        self.shot("02-register-ar")
        self.submit("/register")
        code = b.find_element(By.ID, "code").text
        self.assertRegex(code, r"^[A-Z2-9]{8}$")
        self.assertIn("مريم البلوشية", b.find_element(By.TAG_NAME, "h1").text)
        self.assertFalse(b.find_elements(By.ID, "unverified"))
        self.shot("03-registered-ar")
        self.check("registered (/me)")

        # Votes with dots: 3 on the first improvement, 2 on the second; the page counts down as she types.
        self.click_and_load("a[href^='/votes/']")
        vote_path = re.sub(r"^https?://[^/]+", "", b.current_url)
        self.check("ballot")
        inputs = b.find_elements(By.CSS_SELECTOR, "form.ballot input[type=number]")
        self.assertEqual(len(inputs), 3)
        inputs[0].clear(); inputs[0].send_keys("3")
        inputs[1].clear(); inputs[1].send_keys("2")
        self.assertEqual(b.find_element(By.ID, "dots-left").text, "0")
        self.shot("04-ballot-ar")
        self.click_and_load("form.ballot button[type=submit]")
        self.assertIn("سُجّل صوتك", b.find_element(By.CSS_SELECTOR, "p.notice").text)
        self.assertEqual(b.find_element(By.ID, "dots-left").text, "0")

        # Overspends — 3 + 3 dots of 5: refused with the rule in Arabic, the dots kept as she typed them
        # (her recorded ballot is unchanged).
        inputs = b.find_elements(By.CSS_SELECTOR, "form.ballot input[type=number]")
        for element, value in zip(inputs, ["3", "3", "0"]):
            element.clear(); element.send_keys(value)
        self.click_and_load("form.ballot button[type=submit]")
        self.assertIn("6 نقاط أكثر من المتاح وهو 5", b.find_element(By.CSS_SELECTOR, "[role=alert]").text)
        self.assertEqual([e.get_attribute("value") for e in b.find_elements(By.CSS_SELECTOR, "form.ballot input[type=number]")],
                         ["3", "3", "0"])
        self.assertEqual(b.find_element(By.ID, "dots-left").text, "-1")
        self.shot("04b-ballot-refused-ar")

        def refused_in_english(twin):
            # Another participant registers in English and overspends the same way.
            twin.get(self.base + "/register")
            for name, value in [("name", "Salim"), ("password", "a-long-password-here"),
                                ("civilID", "10000003"), ("birthYear", "1990")]:
                twin.find_element(By.NAME, name).send_keys(value)
            twin.find_element(By.CSS_SELECTOR, "form[action='/register'] button[type=submit]").click()
            WebDriverWait(twin, 10).until(lambda d: d.find_elements(By.ID, "code"))
            twin.get(self.base + vote_path)
            for element, value in zip(twin.find_elements(By.CSS_SELECTOR, "form.ballot input[type=number]"), ["3", "3", "0"]):
                element.clear(); element.send_keys(value)
            twin.find_element(By.CSS_SELECTOR, "form.ballot button[type=submit]").click()
            WebDriverWait(twin, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[role=alert]"))
        self.check("ballot refused", twin=refused_in_english)

        # Changes the vote: 1 on the first, 1 on the third; 5 − 2 = 3 left.
        inputs = b.find_elements(By.CSS_SELECTOR, "form.ballot input[type=number]")
        for element, value in zip(inputs, ["1", "0", "1"]):
            element.clear(); element.send_keys(value)
        self.click_and_load("form.ballot button[type=submit]")
        self.assertEqual(b.find_element(By.ID, "dots-left").text, "3")
        values = [e.get_attribute("value") for e in b.find_elements(By.CSS_SELECTOR, "form.ballot input[type=number]")]
        self.assertEqual(values, ["1", "0", "1"])
        self.shot("05-ballot-changed-ar")
        self.check("ballot changed")

        # From the vote's service page she raises a pain point. She picks the step, "waiting" and
        # severity 5 but forgets the text: refused in Arabic, her choices kept; she writes it and sends.
        self.click_and_load("p.meta a[href^='/services/']")
        service_path = re.sub(r"^https?://[^/]+", "", b.current_url)
        b.find_element(By.CSS_SELECTOR, "details#raise summary").click()
        Select(self.field("step")).select_by_index(1)
        chosen_step = Select(self.field("step")).first_selected_option.get_attribute("value")
        Select(self.field("category")).select_by_value("waiting")
        self.field("severity").clear(); self.field("severity").send_keys("5")
        self.submit(service_path + "/pain-points")
        self.assertIn("نص نقطة الألم", b.find_element(By.CSS_SELECTOR, "[role=alert]").text)
        self.assertIn("نص نقطة الألم", b.find_element(By.ID, "pp-text-error").text)
        self.assertEqual(Select(self.field("step")).first_selected_option.get_attribute("value"), chosen_step)
        self.assertEqual(Select(self.field("category")).first_selected_option.get_attribute("value"), "waiting")
        self.assertEqual(self.field("severity").get_attribute("value"), "5")
        self.assertLessEqual(b.execute_script("return document.documentElement.scrollWidth"), 390)
        b.execute_script("document.getElementById('raise').scrollIntoView()")
        self.shot("11-pain-point-refused-ar")

        def pain_point_refused_in_english(twin):
            twin.get(self.base + service_path)
            twin.find_element(By.CSS_SELECTOR, "details#raise summary").click()
            twin.find_element(By.CSS_SELECTOR, f"form[action='{service_path}/pain-points'] button[type=submit]").click()
            WebDriverWait(twin, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[role=alert]"))
        self.check("pain point refused", twin=pain_point_refused_in_english)
        self.field("text-ar").send_keys("انتظرت ساعتين عند الشباك دون أن يُنادى رقمي")
        self.submit(service_path + "/pain-points")
        self.assertIn("سيقرأ ميسّر المختبر مشاركتك", b.find_element(By.CSS_SELECTOR, "p.notice").text)
        self.assertIn("بانتظار الموافقة على النشر", b.find_element(By.ID, "yours").find_element(By.XPATH, "following-sibling::ul").text)
        self.shot("12-pain-point-awaiting-ar")
        self.check("service, contribution awaiting")
        self.sign_out()
        # Nobody else reads it before the facilitator has.
        self.go(service_path)
        self.assertNotIn("انتظرت ساعتين", b.find_element(By.TAG_NAME, "main").text)

        # A facilitator signs in and closes the vote.
        self.go("/staff/signin")
        self.field("name").send_keys("facilitator")
        self.field("password").send_keys(DEMO_PASSWORD)
        self.submit("/staff/signin")
        self.assertIn("/dashboard", b.current_url)
        self.shot("06-dashboard-ar")
        self.check("dashboard")
        # The staff's trust pages: registrations waiting to be verified, and the audit log's chain.
        self.go("/manage/participants/unverified")
        self.assertIn("لم يُتحقق منها", b.find_element(By.TAG_NAME, "h1").text)
        self.shot("06b-unverified-ar")
        self.check("unverified")
        self.go("/manage/audit")
        self.assertTrue(b.find_elements(By.ID, "audit-intact"))
        self.shot("06c-audit-ar")
        self.check("audit")
        vote_id = vote_path.rsplit("/", 1)[1]
        self.go(f"/votes/{vote_id}/results")
        service = b.find_element(By.CSS_SELECTOR, "p.meta a").get_attribute("href").rsplit("/", 1)[1]
        self.go(f"/manage/services/{service}")
        # Her pain point waits for the facilitator, who publishes it.
        self.assertIn("انتظرت ساعتين", b.find_element(By.ID, "moderation").text)
        self.shot("13-moderation-ar")
        self.check("manage service")
        self.click_and_load("#moderation button[value=publish]")
        self.assertFalse(b.find_elements(By.ID, "moderation"))
        self.go(f"/manage/services/{service}/document")
        self.check("service document")
        self.go(f"/manage/services/{service}")
        self.click_and_load(f"form[action='/manage/votes/{vote_id}/close'] button")
        self.assertIn("تم", b.find_element(By.CSS_SELECTOR, "p.notice").text)
        self.shot("07-vote-closed-ar")
        self.check("manage service, vote closed")
        self.sign_out()

        # The public results: the demo's five paper ballots give the first improvement 3 + 2 + 3 = 8
        # dots, the second 2 + 3 + 2 = 7, the third 2 + 3 + 2 + 1 = 8; her 1 + 1 makes 9, 7, 9 of 25:
        # 36.0%, 28.0%, 36.0%.
        self.go(f"/votes/{vote_id}/results")
        rows = b.find_elements(By.CSS_SELECTOR, "#results tbody tr")
        ballots = sorted(int(r.find_element(By.CSS_SELECTOR, "td.ballots").text) for r in rows)
        self.assertEqual(ballots, [7, 9, 9])
        self.assertIn("36.0%", b.find_element(By.ID, "results").text)
        self.assertIn("28.0%", b.find_element(By.ID, "results").text)
        self.assertIn("مغلق", b.find_element(By.TAG_NAME, "main").text)
        self.shot("08-results-ar")

        # The service's diagram on a phone, in Arabic: the step list in place of the drawing, with
        # nothing wider than the screen; the drawing keeps its text alternative.
        self.go(f"/services/{service}")
        self.assertFalse(b.find_element(By.CSS_SELECTOR, "figure.diagram svg").is_displayed())
        steps = b.find_elements(By.CSS_SELECTOR, ".sl li[class^='sl-step']")
        self.assertTrue(steps and steps[0].is_displayed())
        self.assertIn("المسار الحالي", b.find_element(By.CSS_SELECTOR, "figure.diagram svg").get_attribute("aria-label"))
        self.assertLessEqual(b.execute_script("return document.documentElement.scrollWidth"), 390)
        self.assertIn("انتظرت ساعتين", b.find_element(By.TAG_NAME, "main").text)
        self.shot("09b-service-phone-ar")

        # English, left to right.
        self.click_and_load("a.lang")
        html = b.find_element(By.TAG_NAME, "html")
        self.assertEqual((html.get_attribute("lang"), html.get_attribute("dir")), ("en", "ltr"))
        self.assertEqual(b.execute_script("return getComputedStyle(document.body).direction"), "ltr")
        self.assertIn("closed", b.find_element(By.TAG_NAME, "main").text)
        self.shot("09-results-en")
        self.check("results")
        self.go(f"/services/{service}")
        self.assertTrue(b.find_elements(By.CSS_SELECTOR, "figure.diagram svg"))
        self.shot("10-service-en")
        self.check("service")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
