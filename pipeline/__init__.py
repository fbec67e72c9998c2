"""ilmio: an offline pipeline that finds recurring social phenomena in Finnish social-services text.

Importing the package switches every library it uses to offline mode: client records never
leave the machine, and no model is fetched from a hub (DESIGN.md §5).
"""

import os

__version__ = "0.1.0"

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DVC_NO_ANALYTICS": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "DO_NOT_TRACK": "1",
}
for _key, _value in OFFLINE_ENV.items():
    os.environ[_key] = _value
