"""The words the copy reader knows, as regular-expression fragments shared by its rules.

A rule says "a fix verb, then a problem, then forever"; this module says which words are fix verbs and
which are problems. The lists are about what coaches and therapists sell (nervous systems, sleep, money,
confidence), and they are open classes: a rule should read sensibly with any word of its class, so a new
word goes here, never into one rule. Every fragment is a non-capturing group, matched case-insensitively.
"""

from __future__ import annotations


def one_of(*words: str) -> str:
    """An alternation that prefers the longest word (``panic attacks`` before ``panic``)."""
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


def words(listed: str) -> str:
    """``one_of`` the words of a ``|``-separated list: long lists stay readable in a few lines."""
    return one_of(*(word.strip() for word in listed.split("|") if word.strip()))


APOS = "'"  # the text is normalised first: curly apostrophes and quotes become straight ones
WILL = r"(?:'ll|\s+will|\s+are\s+going\s+to|\s+is\s+going\s+to|'re\s+going\s+to|'s\s+going\s+to)"
"""The future after a subject, glued or spaced: ``you'll``, ``you will``, ``it's going to``."""

WORD = r"[\w'-]+"
GAP = r"(?:(?![\w'-]*n't\b)(?!(?:not|never|no|nor|without)\b)[\w'-]+\s+)"
"""One word and its space that is not itself a negation: the free slots inside a rule."""

NUMBER = one_of(
    r"\d+(?:[.,]\d+)?",
    "a",
    "an",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "fifteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "ninety",
    "a few",
    "a couple of",
    "a handful of",
    "a single",
)
SHORT_UNITS = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h)\b"
UNITS = (
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnights?|months?|sessions?|calls?|"
    r"weekends?|classes)\b"
)
DAYS = words("monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun")
MONTHS = words(
    "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|"
    "jul|aug|sep|sept|oct|nov|dec"
)
CLOCK = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2}|noon|midday|midnight"
WHEN = (
    r"(?:tonight|today|tomorrow|soon|shortly|this\s+(?:week|weekend|evening|month|friday|sunday|saturday)"
    rf"|(?:at|by|before|until|till)\s+(?:{CLOCK})"
    rf"|(?:in|within)\s+(?:the\s+next\s+)?(?:just\s+|only\s+|less\s+than\s+|under\s+|about\s+|around\s+)?{NUMBER}\s*-?\s*(?:{SHORT_UNITS}|days?\b|weeks?\b)"
    r"|in\s+(?:a\s+few|a\s+couple\s+of)\s+(?:hours|minutes|days)"
    rf"|(?:on\s+)?{DAYS}\b|on\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\b|on\s+{MONTHS}\b"
    rf"|(?:on\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}\b|{MONTHS}\s+\d{{1,2}}\b"
    r"|at\s+the\s+end\s+of\s+(?:the|this|today)\s*(?:day|week|month)?|when\s+you\s+(?:close|leave|refresh)"
    r"|after\s+(?:today|tonight|this\s+\w+)|next\s+(?:week|month|monday|friday)"
    r"|in\s+\d{1,2}:\d{2}(?::\d{2})?)"
)
"""A time a deadline falls at: ``tonight``, ``at midnight``, ``in 2 hours``, ``on Friday``, ``on 28 February``."""

PROBLEMS = words(
    "anxiety|anxious|anxieties|stress|stressed|stresses|panic|panic attacks|panic attack|panicking|overwhelm|"
    "overwhelmed|worry|worries|worrying|worried|depression|depressed|low mood|burnout|burn-out|burnt out|"
    "burned out|insomnia|sleepless|sleepless nights|sleepless night|trauma|traumas|ptsd|ocd|adhd|phobia|phobias|"
    "fear|fears|fear of flying|fear of public speaking|self-doubt|doubt|imposter syndrome|impostor syndrome|"
    "procrastination|procrastinating|overthinking|negative thoughts|racing thoughts|inner critic|"
    "limiting beliefs|shame|guilt|grief|heartbreak|loneliness|lonely|pain|chronic pain|back pain|tension|"
    "chronic tension|headaches|migraines|migraine|fatigue|chronic fatigue|adrenal fatigue|exhaustion|ibs|"
    "addiction|addictions|cravings|emotional eating|binge eating|nightmares|debt|money worries|money problems|"
    "struggles|struggle|struggling|suffering|nerves|stage fright|social anxiety|anger|rage|sadness|insecurity|"
    "insecurities|people-pleasing|perfectionism|disorder|disorders|panic disorder|anxiety disorder|condition|"
    "conditions|illness|illnesses|disease|diseases|symptoms|blood pressure|cholesterol|weight|pounds|belly fat|"
    "bad habits|old habits|self-sabotage|self-sabotaging|sabotage|low self-esteem|low confidence|"
    "lack of confidence|poor sleep|bad sleep|sleep problems|sleep issues|brain fog|intrusive thoughts|"
    "rumination|ruminating|dread|despair|hopelessness|resentment|jealousy|codependency|toxic relationships|"
    "heartache|emotional pain|anxiety attacks|money blocks|scarcity mindset|overspending|overeating|"
    "sugar cravings|smoking|drinking|frustration|hot flushes|menopause symptoms|nervousness|fearfulness|"
    "worthlessness|knot in your stomach|tight chest|tightness in your chest|butterflies|relapse|relapses"
)
"""What a buyer comes to a coach with: a promise to end one is a promised outcome."""

MEDICINE = words(
    "medication|medications|meds|pills|sleeping pills|antidepressants|prescriptions|prescription|drugs|therapy|"
    "therapist|your doctor|a doctor|doctors|treatment|inhaler"
)
"""Care a buyer may need; copy that tells them to give it up is a medical claim (CAP code 12)."""

FIXES = words(
    "fix|heal|cure|solve|end|stop|eliminate|erase|banish|overcome|beat|conquer|defeat|destroy|crush|kill|remove|"
    "reverse|silence|quiet|wipe out|get rid of|rid yourself of|free yourself from|break free from|break free of|"
    "let go of|shake off|lose|ditch|throw away|quit|escape|be free of|be free from|be rid of"
)
"""Verbs that make a problem go away; the inflected forms are matched by ``FIXING``."""
FIXING = (
    r"(?:fix(?:es|ed|ing)?|heal(?:s|ed|ing)?|cur(?:e|es|ed|ing)|solv(?:e|es|ed|ing)|end(?:s|ed|ing)?|stop(?:s|ped|ping)?"
    r"|eliminat(?:e|es|ed|ing)|eras(?:e|es|ed|ing)|banish(?:es|ed|ing)?|overcom(?:e|es|ing)|overcame|beat(?:s|ing)?"
    r"|conquer(?:s|ed|ing)?|defeat(?:s|ed|ing)?|destroy(?:s|ed|ing)?|crush(?:es|ed|ing)?|kill(?:s|ed|ing)?"
    r"|remov(?:e|es|ed|ing)|revers(?:e|es|ed|ing)|silenc(?:e|es|ed|ing)|quiet(?:s|ed|ing)?|wip(?:e|es|ed|ing)\s+out"
    r"|get(?:s|ting)?\s+rid\s+of|got\s+rid\s+of|rid\s+yourself\s+of|free(?:s|d|ing)?\s+(?:yourself|you)\s+from"
    r"|break(?:s|ing)?\s+free\s+(?:from|of)|broke\s+free\s+(?:from|of)|let\s+go\s+of|shak(?:e|es|ing)\s+off"
    r"|los(?:e|es|ing)|lost|ditch(?:es|ed|ing)?|throw(?:s|ing)?\s+away|quit(?:s|ting)?|escap(?:e|es|ed|ing)"
    r"|be\s+(?:free|rid)\s+(?:of|from)|dissolv(?:e|es|ed|ing)|melt(?:s|ed|ing)?\s+away|wash(?:es|ed|ing)?\s+away"
    r"|neutrali[sz](?:e|es|ed|ing)|zap(?:s|ped|ping)?|kick(?:s|ed|ing)?)"
)

STATES = words(
    "calm|calmer|calmest|happy|happier|confident|more confident|fearless|relaxed|at peace|peaceful|healed|cured|"
    "whole|lighter|better|unstoppable|in control|transformed|amazing|fantastic|energised|energized|rested|"
    "well rested|grounded|balanced|unshakeable|unshakable|centred|centered|fulfilled|successful|rich|wealthy|"
    "stress-free|anxiety-free|pain-free|debt-free|panic-free|worry-free|like a new person|a new person|"
    "a different person|a changed person|a new woman|a new man|brand new|like a baby|through the night|deeply|"
    "unstuck|limitless|back on track|back to normal|back to your old self|like yourself again|yourself again|"
    "like your old self|fixed|sorted|solved|restored|energised and anxiety-free"
)
"""How a promise says the buyer will end up: "you will feel calmer", "be confident by next week". ("Free" is
left out: "you'll be free to cancel" promises nothing; ``FREED`` says when it does.)"""

FREED = r"free\s+(?:of|from)\s+(?:\w+\s+){0,2}?" + PROBLEMS + r"|free(?=\s*(?:[.!,;]|$|and\b|forever\b|for\s+good\b))"
BODY = one_of("nervous system", "brain", "mind", "body", "gut", "hormones", "cortisol", "vagus nerve", "sleep")
"""What a promise says will be reset or rewired."""

OUTCOMES = words(
    "result|results|outcome|outcomes|success|relief|healing|recovery|transformation|breakthrough|breakthroughs|"
    "weight loss|income|profit|profits|calm|confidence|change|freedom|happiness|peace|peace of mind|"
    "better sleep|deep sleep|clarity|six figures|six-figure income|a calmer life|your dream life|a new you|"
    "progress|growth|improvement|wellbeing|well-being|joy"
)
"""What a promise says the buyer will get: a guarantee of one of these is a guarantee of results."""

SELLING = words(
    "offer|offers|price|prices|pricing|sale|deal|discount|discounts|bonus|bonuses|coupon|code|rate|special|"
    "promo|promotion|doors|cart|checkout|enrolment|enrollment|registration|registrations|invitation|invite|"
    "window|early-bird|early bird|spot|spots|upgrade|this page|saving|savings|signup|sign-up|applications"
)
"""What a deadline in sales copy is about: an offer's price, its bonus, its doors. A session, a course or the
buyer's access ending is a fact about the service, not pressure."""

PLACES = words(
    "spot|spots|seat|seats|place|places|space|spaces|slot|slots|copies|copy|tickets|ticket|openings|opening|"
    "vacancies|bundles|kits|units"
)
"""What a scarcity claim counts."""

NEGATION = (
    r"(?:\bno\b|\bnot\b|\bnever\b|\bnone\b|\bnothing\b|\bnobody\b|\bno\s+one\b|\bneither\b|\bnor\b|\bwithout\b"
    r"|\bcannot\b|n't\b|\bzero\b|\bfree\s+(?:of|from)\b|\bunlike\b|\binstead\s+of\b|\brather\s+than\b"
    r"|\bavoid(?:s|ed|ing)?\b|\brefuse[sd]?\b|\bforget\b|\bban(?:s|ned)?\b|\bbeware\b|\bwary\s+of\b"
    r"|\btired\s+of\b|\bsick\s+of\b|\bfed\s+up\s+with\b|\bsc?eptical\s+(?:of|about)\b|\bsuspicious\s+of\b"
    r"|\bsteer\s+clear\s+of\b|\bsay\s+no\s+to\b|\bfar\s+from\b|\banything\s+but\b|\bagainst\b)"
)
"""Words that deny what follows them in their clause, or distance the writer from it ("unlike", "beware")."""

NOT_NEGATION = (
    r"\bnot\s+only\b|\bnot\s+just\b|\bno\s+doubt\b|\bno\s+question\b|\bno\s+wonder\b|\bno\s+matter\b"
    r"|\bnothing\s+(?:less|short)\s+than\b|\bno\s+later\s+than\b|\bno\s+longer\b|\bnever\s+before\b"
    r"|\bnever\s+been\b|\bno-brainer\b|\bcan'?t\s+wait\b|\bdon'?t\s+hesitate\b|\bwithout\s+fail\b"
    r"|\bno\s+more\s+than\b|\bnot\s+to\s+be\s+missed\b|\bwon'?t\s+(?:last|want\s+to\s+miss)\b"
)
"""Phrases that look like a negation but assert ("not only", "no doubt", "without fail")."""

OTHERS = (
    r"\b(?:some|other|many|most|few|lots\s+of|plenty\s+of)\s+(?:\w+\s+)?(?:coaches|programs|programmes|courses|"
    r"marketers|gurus|apps|ads|adverts|sites|websites|funnels|people|companies|brands|sellers|teachers|"
    r"therapists|experts|influencers|offers|pages|businesses)\b"
    r"|\byou(?:'ve|\s+may\s+have|\s+might\s+have|\s+have|'ll)?\s+(?:heard|seen|been\s+told|read|hear)\b"
    r"|\b(?:they|others|people)\s+(?:say|claim|promise|tell\s+you|will\s+tell\s+you)\b|\bso-called\b"
)
"""Words that give what follows to someone else: "other programs promise", "you may have heard"."""

HEDGES = (
    r"\b(?:may|might|could|can\s+help|help(?:s|ed|ing)?|often|usually|typically|sometimes|many|most|some|"
    r"tend\s+to|aims?\s+to|designed\s+to|intended\s+to|learn(?:s|ing)?(?:\s+how)?\s+to|tools?\s+(?:to|for)|"
    r"ways\s+to|practices?\s+(?:to|for)|techniques?\s+(?:to|for)|strateg(?:y|ies)\s+(?:to|for)|towards?|"
    r"work\s+(?:on|towards?)|start\s+to|begin\s+to|supports?|hope|hopefully|probably|likely|possibly|perhaps|"
    r"chance\s+to|aim|try|trying|want\s+to)\b"
)
"""Words that make a claim a possibility, not a promise: "may help you sleep better"."""

PRESSURE_WORDS = (
    r"\b(?:demand|popular|fast|quick(?:ly)?|hurry|sell(?:ing|s)?\s+out|sold\s+out|rush|going|miss|price|prices|"
    r"doubles?|rises?|increases?|now|today|tonight|gone|late|regret|act|decide)\b"
)
"""Reasons that are themselves pressure: "only 3 left because demand is huge" states no real reason."""
