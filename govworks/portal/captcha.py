"""A CAPTCHA that works offline: the server draws five characters, each rotated and shifted, over noise lines
and dots, as a PNG with Pillow (its built-in scalable font; no network, no third-party service). The answer is
kept in the visitor's session only — never in the page — is good for one check (right or wrong, it is used up)
and expires after ``TTL_SECONDS``. Each image request draws a new challenge."""

from __future__ import annotations

import hmac
import io
import secrets
import time
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SESSION_KEY = "portal.captcha"
TTL_SECONDS = 600
LENGTH = 5
#: no 0/O, 1/I/L, 2/Z, 5/S, 8/B: characters a person cannot tell apart once distorted
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
WIDTH, HEIGHT = 160, 56


def new_challenge(session: Any) -> str:
    """Draw a new answer and keep it (with its expiry) in ``session``; returns the answer to draw."""
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    session[SESSION_KEY] = {"answer": answer, "expires": time.time() + TTL_SECONDS}
    return answer


def render_png(answer: str) -> bytes:
    """The answer as a distorted PNG image."""
    rng = secrets.SystemRandom()
    image = Image.new("RGB", (WIDTH, HEIGHT), (246, 248, 251))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        draw.line(
            [(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)), (rng.randint(0, WIDTH), rng.randint(0, HEIGHT))],
            fill=(rng.randint(120, 200), rng.randint(120, 200), rng.randint(120, 200)),
            width=2,
        )
    font = ImageFont.load_default(size=34)
    x = 8
    for ch in answer:
        glyph = Image.new("RGBA", (44, 52), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (8, 4), ch, font=font, fill=(rng.randint(10, 90), rng.randint(10, 90), rng.randint(60, 140), 255)
        )
        glyph = glyph.rotate(rng.uniform(-28, 28), resample=Image.Resampling.BICUBIC, expand=False)
        image.paste(glyph, (x + rng.randint(-3, 3), rng.randint(-4, 6)), glyph)
        x += 29
    for _ in range(220):
        draw.point((rng.randint(0, WIDTH - 1), rng.randint(0, HEIGHT - 1)), fill=(rng.randint(90, 200),) * 3)
    for _ in range(2):
        y = rng.randint(12, HEIGHT - 12)
        draw.arc((-20, y - 30, WIDTH + 20, y + 30), rng.randint(0, 40), rng.randint(140, 180), fill=(80, 80, 120), width=2)
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def check(session: Any, given: str) -> bool:
    """Is ``given`` the current answer? The challenge is used up by this check whatever its result; an expired
    or absent challenge never passes. Case and surrounding spaces do not matter."""
    stored = session.pop(SESSION_KEY, None)
    if not isinstance(stored, dict) or float(stored.get("expires", 0)) < time.time():
        return False
    expected = str(stored.get("answer", ""))
    return bool(expected) and hmac.compare_digest(expected.encode(), (given or "").strip().upper().encode())


def current_answer(session: Any) -> str | None:
    """The answer waiting in ``session`` (for tests, which read it the way the server does)."""
    stored = session.get(SESSION_KEY)
    return str(stored["answer"]) if isinstance(stored, dict) else None
