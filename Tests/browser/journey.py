"""Real-browser test: headless Chromium through chromedriver, driven by selenium.

Starts `masar serve` on a new database with the demo programme, then, in a phone-sized window:
a participant registers in Arabic, votes with dots and changes the vote; a facilitator closes
the vote; the public results page shows it; the Arabic pages are right-to-left and the English
switch turns them left-to-right. Screenshots of each step are saved in the screenshots folder.

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

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

MASAR, SERVICES, SHOTS = sys.argv[1:4] if len(sys.argv) >= 4 else (None, None, None)
DEMO_PASSWORD = "masar-demo-2026"


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
        options = Options()
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=390,844"]:
            options.add_argument(argument)
        options.binary_location = "/usr/bin/chromium"
        cls.browser = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        cls.browser.implicitly_wait(5)
        os.makedirs(SHOTS, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        if cls.server.poll() is None:
            cls.server.terminate()
            cls.server.wait(timeout=30)

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

        # A participant registers on the digital track, in Arabic, verified by the demo phase's
        # eligibility list (civil IDs 10000001 to 10000020, born 1990; the first is taken).
        self.go("/register")
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

        # Votes with dots: 3 on the first improvement, 2 on the second; the page counts down as she types.
        self.click_and_load("a[href^='/votes/']")
        vote_path = re.sub(r"^https?://[^/]+", "", b.current_url)
        inputs = b.find_elements(By.CSS_SELECTOR, "form.ballot input[type=number]")
        self.assertEqual(len(inputs), 3)
        inputs[0].clear(); inputs[0].send_keys("3")
        inputs[1].clear(); inputs[1].send_keys("2")
        self.assertEqual(b.find_element(By.ID, "dots-left").text, "0")
        self.shot("04-ballot-ar")
        self.click_and_load("form.ballot button[type=submit]")
        self.assertIn("سُجّل صوتك", b.find_element(By.CSS_SELECTOR, "p.notice").text)
        self.assertEqual(b.find_element(By.ID, "dots-left").text, "0")

        # Overspends — 3 + 3 dots of 5: refused with the rule in Arabic, her ballot as it was.
        inputs = b.find_elements(By.CSS_SELECTOR, "form.ballot input[type=number]")
        for element, value in zip(inputs, ["3", "3", "0"]):
            element.clear(); element.send_keys(value)
        self.click_and_load("form.ballot button[type=submit]")
        self.assertIn("6 نقاط أكثر من المتاح وهو 5", b.find_element(By.CSS_SELECTOR, "[role=alert]").text)
        self.assertEqual(b.find_element(By.ID, "dots-left").text, "0")
        self.shot("04b-ballot-refused-ar")

        # Changes the vote: 1 on the first, 1 on the third; 5 − 2 = 3 left.
        inputs = b.find_elements(By.CSS_SELECTOR, "form.ballot input[type=number]")
        for element, value in zip(inputs, ["1", "0", "1"]):
            element.clear(); element.send_keys(value)
        self.click_and_load("form.ballot button[type=submit]")
        self.assertEqual(b.find_element(By.ID, "dots-left").text, "3")
        values = [e.get_attribute("value") for e in b.find_elements(By.CSS_SELECTOR, "form.ballot input[type=number]")]
        self.assertEqual(values, ["1", "0", "1"])
        self.shot("05-ballot-changed-ar")
        self.sign_out()

        # A facilitator signs in and closes the vote.
        self.go("/staff/signin")
        self.field("name").send_keys("facilitator")
        self.field("password").send_keys(DEMO_PASSWORD)
        self.submit("/staff/signin")
        self.assertIn("/dashboard", b.current_url)
        self.shot("06-dashboard-ar")
        # The staff's trust pages: registrations waiting to be verified, and the audit log's chain.
        self.go("/manage/participants/unverified")
        self.assertIn("لم يُتحقق منها", b.find_element(By.TAG_NAME, "h1").text)
        self.shot("06b-unverified-ar")
        self.go("/manage/audit")
        self.assertTrue(b.find_elements(By.ID, "audit-intact"))
        self.shot("06c-audit-ar")
        vote_id = vote_path.rsplit("/", 1)[1]
        self.go(f"/votes/{vote_id}/results")
        service = b.find_element(By.CSS_SELECTOR, "p.meta a").get_attribute("href").rsplit("/", 1)[1]
        self.go(f"/manage/services/{service}")
        self.click_and_load(f"form[action='/manage/votes/{vote_id}/close'] button")
        self.assertIn("تم", b.find_element(By.CSS_SELECTOR, "p.notice").text)
        self.shot("07-vote-closed-ar")
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

        # English, left to right.
        self.click_and_load("a.lang")
        html = b.find_element(By.TAG_NAME, "html")
        self.assertEqual((html.get_attribute("lang"), html.get_attribute("dir")), ("en", "ltr"))
        self.assertEqual(b.execute_script("return getComputedStyle(document.body).direction"), "ltr")
        self.assertIn("closed", b.find_element(By.TAG_NAME, "main").text)
        self.shot("09-results-en")
        self.go(f"/services/{service}")
        self.assertTrue(b.find_elements(By.CSS_SELECTOR, "figure.diagram svg"))
        self.shot("10-service-en")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
