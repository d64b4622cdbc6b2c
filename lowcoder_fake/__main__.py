"""``python -m lowcoder_fake`` is the ``lowcoder-fake`` command."""

from lowcoder_fake.cli import run

run()
