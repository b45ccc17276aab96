"""Cures and medical claims (UCPD Annex I point 17; the CAP code on health claims): "cure", "heal your
trauma", "treats insomnia", "end your panic attacks", "stop taking your antidepressants", "clinically proven".

Coaching may help; "can help you heal from burnout" is a hedge and stays honest, "heals burnout" does not.
"""

from __future__ import annotations

from offers.domain.copy.claims import ClaimKind
from offers.domain.copy.grammar import Rule, rule
from offers.domain.copy.lexicon import (
    BODY,
    FIXING,
    GAP,
    MEDICINE,
    PROBLEMS,
)

CURE = ClaimKind.CURE

RULES: tuple[Rule, ...] = (
    # cures and medical claims
    rule(CURE, r"\bcur(?:e|es|ed|ing)\b(?!\s+for\s+(?:boredom|hunger|curiosity)\b)"),
    rule(CURE, r"\bmiracle\s+(?:cure|method|solution|fix|remedy|pill|program|programme)\b"),
    rule(
        CURE,
        rf"\bheal(?:s|ed|ing)?\s+(?:(?:your|my|the|their|our|all|any|from|you\s+from)\s+)?{GAP}{{0,2}}?{PROBLEMS}\b",
        hedgeable=True,
    ),
    rule(CURE, r"\b(?:will|to)\s+heal\s+(?:you|yourself)\b", hedgeable=True),
    rule(
        CURE,
        rf"\btreat(?:s|ed|ing)?\s+(?:(?:your|my|the|their|all|any)\s+)?{GAP}{{0,1}}?{PROBLEMS}\b"
        rf"|\btreatments?\s+(?:for|of)\s+(?:(?:your|the|any|all)\s+)?{GAP}{{0,2}}?{PROBLEMS}\b",
    ),
    rule(  # "cure" itself is the rule above: "cures anxiety" quotes "cures"
        CURE,
        rf"\b(?!cur){FIXING}\s+(?:(?:your|my|the|their|all|any|all\s+of\s+your|those|that)\s+)?{GAP}{{0,2}}?{PROBLEMS}\b",
        hedgeable=True,
    ),
    rule(
        CURE,
        r"\b(?:stop(?:ped|ping)?|quit(?:ting)?|come\s+off|came\s+off|get\s+off|got\s+off|ditch(?:ed)?|throw(?:ing)?\s+away|"
        r"threw\s+away|replace[sd]?|replacing|no\s+(?:more\s+)?need\s+for|(?:no\s+)?longer\s+need|stop(?:ped)?\s+needing|"
        r"without\s+the\s+need\s+for|give\s+up|gave\s+up|bin|flush)\s+(?:taking\s+|using\s+)?"
        rf"(?:(?:your|the|all|my|their|those)\s+)?{GAP}{{0,2}}?{MEDICINE}\b",
    ),
    rule(
        CURE,
        r"\b(?:better|faster|more\s+effective|cheaper)\s+than\s+(?:(?:a|your|any)\s+)?(?:therapy|therapist|medication|"
        r"meds|pills|antidepressants|a\s+doctor|doctors|counselling|counseling|psychiatry)\b",
    ),
    rule(
        CURE,
        r"\b(?:clinically|scientifically|medically)\s+(?:proven|tested|shown|validated)\b|\bproven\s+to\s+(?:work|cure|"
        r"heal|reduce|eliminate|end|stop|fix|lower|boost|double|transform|remove|relieve|beat|treat)\b"
        r"|\bdoctor[- ](?:approved|recommended)\b",
    ),
    rule(CURE, rf"\b(?:rewires?|resets?|rebalances?|repairs?|detox(?:es)?)\s+your\s+{BODY}\b", hedgeable=True),
)
