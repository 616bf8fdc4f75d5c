"""The working group's focus areas and boundaries, in its own words (see the seed)."""

from __future__ import annotations

FOCUS_AREAS: dict[str, str] = {
    "content_creation": "ML for content creation (roto, prep, animation, look-dev)",
    "llm_pipeline": "LLMs for pipeline and productivity (coding assistants, RAG, metadata)",
    "infrastructure": "Infrastructure trade-offs and the scrapheap (deployment, GPUs, cost)",
    "other": "Other",
}

SHORT_NAMES: dict[str, str] = {
    "content_creation": "Content creation",
    "llm_pipeline": "LLMs for pipeline",
    "infrastructure": "Infrastructure",
    "other": "Other",
}

CONFIDENTIALITY_STATEMENT = (
    "My talk contains no confidential information: no company secrets, proprietary data or "
    "technologies considered core competitive competencies, and it is not a product pitch."
)

BOUNDARY_TEXT = (
    "Mutual Learning Sessions are for practical experience suitable for public discussion in "
    "the WG-ML forum:\n"
    "- No confidential information: do not share company secrets, proprietary data, or "
    "technologies considered core competitive competencies.\n"
    "- No commercial product pitches. Exception: users showcasing the technical "
    "implementation and practical benefits of a commercial product in their own workflow "
    "are welcome."
)

TALK_FORMAT = (
    '"We tried X model for Y task and these were the results": the experiments and '
    "approaches attempted, what worked and what failed, unexpected outcomes and integration "
    "challenges, insights into production scalability."
)


def focus_area_key(text: str) -> str | None:
    """Map what a person wrote ("LLMs", "infra", "Content creation") to a focus area key."""
    t = " ".join(text.lower().replace("_", " ").replace("-", " ").split())
    if not t:
        return None
    for key, label in SHORT_NAMES.items():
        if t in (key.replace("_", " "), label.lower()) or t == FOCUS_AREAS[key].lower():
            return key
    if "llm" in t or "rag" in t or "language model" in t or "pipeline" in t or "productiv" in t:
        return "llm_pipeline"
    if "infra" in t or "gpu" in t or "deploy" in t or "scrapheap" in t or "cloud" in t:
        return "infrastructure"
    if "content" in t or "roto" in t or "anim" in t or "look" in t or "creation" in t:
        return "content_creation"
    if "other" in t:
        return "other"
    return None


def focus_label(key: str) -> str:
    return SHORT_NAMES.get(key, key)
