"""General-English word lists the rules grader uses: stop words, negation cues, antonyms, synonyms.

Nothing here is about a subject: these are everyday words and the antonym pairs any
dictionary lists (increase/decrease, first/last, ...), plus morphological antonym
prefixes (hypo-/hyper-, pre-/post-, un-/...).
"""

from __future__ import annotations

#: Function words that carry no content on their own.
STOPWORDS = frozenset(
    """
    a an the this that these those there here it its it's itself they them their theirs themselves
    he him his she her hers we us our ours you your yours i me my mine one's
    is are was were be been being am do does did doing done has have had having
    will would shall should can could may might must
    of in on at by for from to into onto with within about as than then so such
    and or nor but if because while whereas although though since until unless
    what which who whom whose when where why how whether
    also just very really quite rather too much many some any each every either neither both
    etc e.g eg i.e ie vs via per all
    thing things something stuff kind sort type way ways basically actually simply mainly
    indeed essentially really certainly obviously generally usually just merely
    through across onto upon around along toward towards throughout
    like get gets got getting go goes went make makes made making
    up out over off down
    """.split()
)
# "up", "down", "over", "off", "out" are stop words only after phrase rewriting (go up -> increase).

#: Words that negate what follows (after contractions are expanded).
NEGATION_CUES = frozenset(
    {"not", "no", "never", "without", "cannot", "nor", "neither", "lacks", "lack", "lacking",
     "fail", "fails", "failed", "failing", "unable", "skip", "skips", "skipping", "ignore", "ignores",
     "ignoring", "exclude", "excludes", "excluding", "except", "omit", "omits", "omitting"}
)

#: Verbs (and their nouns) that keep what follows from happening: 'prevents overfitting'
#: says no overfitting, so an answer's 'does not overfit' agrees with it.
PREVENTION_CUES = frozenset(
    {"prevent", "prevention", "avoid", "avoidance", "stop", "reduce", "reduction", "block", "inhibit",
     "inhibition", "suppress", "suppression", "eliminate", "elimination", "counteract", "protect",
     "protection", "guard", "combat", "minimise", "minimize", "lessen", "curb", "hinder", "impede",
     "forbid", "prohibit", "ban", "deter", "decrease", "mitigate", "alleviate", "relieve", "resist",
     "fight", "halt", "cease", "end", "stave", "ward", "neutralise", "neutralize", "cure"}
)

#: Adverbs skipped when finding the word a negation applies to ("not always true").
NEGATION_SKIP = frozenset(
    {"really", "very", "always", "necessarily", "yet", "still", "ever", "necessary", "actually",
     "just", "only", "even", "quite", "too", "so", "that", "all", "any", "a", "an", "the", "be",
     "been", "being", "is", "are",
     "was", "were", "do", "does", "did", "have", "has", "had", "to", "it", "its", "for", "of",
     "in", "on", "at", "by", "with", "as", "much", "more", "completely", "fully", "directly"}
)

#: Words that make a claim absolute; true answers rarely add them when the reference lacks them.
ABSOLUTES = frozenset(
    {"always", "never", "only", "completely", "entirely", "exactly", "every", "nothing",
     "impossible", "totally", "forever", "permanently", "any", "none", "must"}
)

#: Antonym pairs of everyday and general academic English (either order).
ANTONYM_PAIRS: tuple[tuple[str, str], ...] = (
    ("increase", "decrease"), ("increase", "reduce"), ("increase", "lower"), ("rise", "fall"),
    ("raise", "lower"), ("grow", "shrink"), ("expand", "contract"), ("gain", "lose"),
    ("gain", "loss"), ("profit", "loss"), ("win", "lose"), ("more", "less"), ("more", "fewer"),
    ("most", "least"), ("many", "few"), ("high", "low"), ("higher", "lower"), ("highest", "lowest"),
    ("large", "small"), ("big", "small"), ("larger", "smaller"), ("bigger", "smaller"),
    ("largest", "smallest"), ("long", "short"), ("longer", "shorter"), ("tall", "short"),
    ("wide", "narrow"), ("thick", "thin"), ("deep", "shallow"), ("heavy", "light"),
    ("strong", "weak"), ("stronger", "weaker"), ("hard", "easy"), ("harder", "easier"),
    ("difficult", "easy"), ("fast", "slow"), ("faster", "slower"), ("quick", "slow"),
    ("early", "late"), ("earlier", "later"), ("before", "after"), ("first", "last"),
    ("beginning", "end"), ("begin", "end"), ("start", "end"), ("start", "finish"), ("start", "stop"),
    ("open", "close"), ("open", "closed"), ("enter", "exit"), ("entry", "exit"),
    ("positive", "negative"), ("true", "false"), ("yes", "no"), ("right", "wrong"),
    ("correct", "incorrect"), ("always", "never"), ("all", "none"), ("everything", "nothing"),
    ("maximum", "minimum"), ("max", "min"), ("maximise", "minimise"), ("maximize", "minimize"),
    ("upper", "lower"), ("top", "bottom"), ("above", "below"), ("over", "under"), ("up", "down"),
    ("inside", "outside"), ("internal", "external"), ("inner", "outer"), ("interior", "exterior"),
    ("input", "output"), ("inbound", "outbound"), ("incoming", "outgoing"), ("inflow", "outflow"),
    ("left", "right"), ("north", "south"), ("east", "west"), ("front", "back"),
    ("forward", "backward"), ("ascending", "descending"), ("horizontal", "vertical"),
    ("hot", "cold"), ("warm", "cool"), ("heat", "cool"), ("wet", "dry"), ("light", "dark"),
    ("add", "remove"), ("add", "subtract"), ("addition", "subtraction"), ("include", "exclude"),
    ("import", "export"), ("push", "pull"), ("attract", "repel"), ("accept", "reject"),
    ("allow", "forbid"), ("allow", "prevent"), ("allow", "block"), ("permit", "prohibit"),
    ("enable", "disable"), ("activate", "deactivate"), ("activate", "inhibit"),
    ("stimulate", "inhibit"), ("promote", "inhibit"), ("increase", "inhibit"),
    ("cause", "prevent"), ("help", "hurt"), ("help", "harm"), ("benefit", "harm"),
    ("safe", "dangerous"), ("safe", "unsafe"), ("good", "bad"), ("better", "worse"),
    ("best", "worst"), ("same", "different"), ("similar", "different"), ("equal", "unequal"),
    ("simple", "complex"), ("simplest", "most complex"), ("single", "multiple"), ("single", "many"),
    ("one", "many"), ("linear", "nonlinear"), ("private", "public"), ("local", "global"),
    ("local", "remote"), ("static", "dynamic"), ("active", "passive"), ("active", "inactive"),
    ("direct", "indirect"), ("explicit", "implicit"), ("dependent", "independent"),
    ("absolute", "relative"), ("general", "specific"), ("abstract", "concrete"),
    ("major", "minor"), ("majority", "minority"), ("rich", "poor"), ("new", "old"),
    ("young", "old"), ("ancient", "modern"), ("past", "future"), ("previous", "next"),
    ("buy", "sell"), ("buyer", "seller"), ("lend", "borrow"), ("lender", "borrower"),
    ("debit", "credit"), ("asset", "liability"), ("surplus", "deficit"),
    ("appreciate", "depreciate"), ("appreciation", "depreciation"), ("inflation", "deflation"),
    ("expansion", "contraction"), ("expansionary", "contractionary"), ("send", "receive"),
    ("sender", "receiver"), ("client", "server"), ("read", "write"), ("encrypt", "decrypt"),
    ("encode", "decode"), ("compress", "decompress"), ("upload", "download"),
    ("synchronous", "asynchronous"), ("sync", "async"), ("mutable", "immutable"),
    ("even", "odd"), ("male", "female"), ("masculine", "feminine"), ("singular", "plural"),
    ("sharp", "flat"), ("consonant", "dissonant"), ("acute", "chronic"),
    ("benign", "malignant"), ("constrict", "dilate"), ("constriction", "dilation"),
    ("vasoconstriction", "vasodilation"), ("contract", "relax"), ("inhale", "exhale"),
    ("inhalation", "exhalation"), ("inspiration", "expiration"), ("anterior", "posterior"),
    ("superior", "inferior"), ("proximal", "distal"), ("medial", "lateral"),
    ("dorsal", "ventral"), ("afferent", "efferent"), ("flexion", "extension"),
    ("sympathetic", "parasympathetic"), ("aerobic", "anaerobic"), ("anabolic", "catabolic"),
    ("anabolism", "catabolism"), ("endothermic", "exothermic"), ("endergonic", "exergonic"),
    ("oxidation", "reduction"), ("oxidize", "reduce"), ("oxidise", "reduce"), ("anion", "cation"),
    ("anode", "cathode"), ("acid", "base"), ("acidic", "basic"), ("acidic", "alkaline"),
    ("soluble", "insoluble"), ("polar", "nonpolar"), ("hydrophilic", "hydrophobic"),
    ("saturated", "unsaturated"), ("homogeneous", "heterogeneous"), ("dominant", "recessive"),
    ("haploid", "diploid"), ("prokaryotic", "eukaryotic"), ("prokaryote", "eukaryote"),
    ("plaintiff", "defendant"), ("prosecution", "defence"), ("prosecution", "defense"),
    ("civil", "criminal"), ("guilty", "innocent"), ("liberal", "conservative"),
    ("deductive", "inductive"), ("deduction", "induction"), ("objective", "subjective"),
    ("necessary", "sufficient"), ("valid", "invalid"), ("rational", "irrational"),
    ("empirical", "rational"), ("priori", "posteriori"), ("concave", "convex"),
    ("parallel", "serial"), ("parallel", "series"), ("analog", "digital"),
    ("voluntary", "involuntary"), ("legal", "illegal"), ("possible", "impossible"),
    ("visible", "invisible"), ("finite", "infinite"), ("natural", "artificial"),
    ("supervised", "unsupervised"), ("labeled", "unlabeled"), ("labelled", "unlabelled"),
    ("overestimate", "underestimate"), ("overfitting", "underfitting"),
    ("increasing", "decreasing"), ("rising", "falling"), ("lowest", "highest"),
    ("weakest", "strongest"), ("fastest", "slowest"), ("earliest", "latest"),
    ("narrowest", "widest"), ("cheap", "expensive"), ("cheaper", "more expensive"),
    ("sooner", "later"), ("inward", "outward"), ("import", "export"), ("imports", "exports"),
    ("north", "south"), ("western", "eastern"), ("northern", "southern"),
    ("clockwise", "anticlockwise"), ("clockwise", "counterclockwise"),
)

#: Prefix pairs that turn a word into its opposite (hypoglycaemia / hyperglycaemia).
ANTONYM_PREFIXES: tuple[tuple[str, str], ...] = (
    ("hypo", "hyper"), ("pre", "post"), ("intra", "inter"), ("endo", "exo"), ("in", "ex"),
    ("im", "ex"), ("over", "under"), ("sub", "super"), ("ana", "cata"), ("micro", "macro"),
    ("min", "max"), ("up", "down"), ("inc", "dec"), ("de", "in"), ("hetero", "homo"),
    ("pro", "anti"), ("pro", "con"), ("ortho", "para"), ("mono", "poly"), ("uni", "multi"),
    ("bi", "uni"), ("hydro", "lipo"), ("tachy", "brady"), ("hyper", "normo"), ("hypo", "normo"),
    ("ana", "meta"), ("pro", "meta"), ("pro", "ana"), ("meta", "telo"), ("mal", "bene"),
)

#: Prefixes that negate the word they are attached to (unlabeled = not labeled).
NEGATING_PREFIXES: tuple[str, ...] = ("non", "un", "anti", "in", "im", "il", "ir", "a", "an", "dis", "de")

#: Prefixes that negate only adjectives (invalid, atypical), not nouns (inflow, around).
ADJECTIVE_ONLY_PREFIXES = frozenset({"in", "im", "il", "ir", "a", "an"})
#: Prefixes that need a longer remainder to count (discover is not dis-cover).
LONG_REST_PREFIXES = frozenset({"dis", "de"})
#: Endings of adjectives (for ADJECTIVE_ONLY_PREFIXES).
ADJECTIVE_ENDINGS = ("able", "ible", "ent", "ant", "ive", "al", "ite", "ect", "ete", "ure", "id",
                     "ic", "ous", "ary", "ar", "ical", "ual", "ile", "ane", "ine", "ular")

#: Suffix pairs that turn a word into its opposite (hydrophilic / hydrophobic).
ANTONYM_SUFFIXES: tuple[tuple[str, str], ...] = (("philic", "phobic"), ("ful", "less"), ("phile", "phobe"))

#: Groups of everyday synonyms; the first word of each group is the canonical form.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("increase", "raise", "rise", "grow", "boost", "augment", "enlarge", "heighten", "climb"),
    ("decrease", "reduce", "lower", "lessen", "diminish", "decline", "drop", "shrink", "fall",
     "cut", "minimise", "minimize"),
    ("large", "big", "huge", "great", "massive", "enormous", "vast", "giant", "bigger", "larger"),
    ("small", "little", "tiny", "minor", "minute", "smaller"),
    ("fast", "quick", "rapid", "speedy", "swift", "faster", "quicker", "quickly", "rapidly"),
    ("slow", "sluggish", "slower", "slowly"),
    ("begin", "start", "commence", "initiate", "beginning", "starting"),
    ("end", "finish", "terminate", "conclude", "stop", "halt", "cease"),
    ("use", "utilise", "utilize", "employ", "apply", "usage", "using"),
    ("make", "create", "build", "construct", "produce", "generate"),
    ("show", "display", "indicate", "demonstrate", "reveal"),
    ("get", "obtain", "receive", "acquire", "gain", "gets"),
    ("give", "provide", "supply", "offer", "deliver", "yield", "return", "output", "outputs"),
    ("remove", "delete", "eliminate", "erase", "discard", "drop", "strip"),
    ("help", "aid", "assist", "support"),
    ("stop", "prevent", "block", "avoid", "stops", "prevents", "blocks"),
    ("allow", "permit", "enable", "let"),
    ("change", "alter", "modify", "adjust", "update", "vary", "transform", "convert", "turn"),
    ("many", "multiple", "several", "numerous", "lots", "various", "plenty"),
    ("whole", "entire", "full", "complete", "total", "all"),
    ("part", "portion", "piece", "section", "segment", "fraction", "component"),
    ("main", "primary", "principal", "chief", "major", "central", "core"),
    ("important", "significant", "essential", "crucial", "vital", "critical"),
    ("hard", "difficult", "tough", "harder", "tougher"),
    ("easy", "simple", "straightforward", "easier", "simpler"),
    ("correct", "right", "accurate", "proper", "valid"),
    ("wrong", "incorrect", "inaccurate", "false", "invalid", "mistaken"),
    ("same", "identical", "equal", "equivalent"),
    ("different", "distinct", "dissimilar", "separate"),
    ("combine", "merge", "join", "unite", "mix", "combining", "combination", "combined"),
    ("divide", "split", "separate", "partition", "segregate"),
    ("link", "connect", "bind", "attach", "join", "tie", "couple"),
    ("keep", "store", "hold", "retain", "save", "preserve", "maintain"),
    ("find", "discover", "detect", "identify", "locate", "spot"),
    ("choose", "select", "pick", "elect", "decide"),
    ("need", "require", "demand", "necessitate"),
    ("cause", "produce", "induce", "trigger", "lead", "result"),
    ("kill", "destroy", "eliminate", "slay"),
    ("method", "technique", "approach", "procedure", "process", "way", "means"),
    ("tool", "toolkit", "kit", "instrument", "utility"),
    ("goal", "aim", "objective", "purpose", "target"),
    ("problem", "issue", "difficulty", "trouble"),
    ("error", "mistake", "fault"),
    ("rule", "law", "principle", "regulation"),
    ("area", "region", "zone", "field", "domain"),
    ("amount", "quantity", "qty", "volume", "level"),
    ("number", "count", "num"),
    ("speed", "rate", "velocity", "pace"),
    ("power", "authority", "control"),
    ("look", "see", "view", "observe", "watch"),
    ("say", "state", "declare", "claim", "assert"),
    ("ask", "query", "request", "question"),
    ("answer", "reply", "respond", "response"),
    ("move", "transfer", "shift", "transport", "carry", "send"),
    ("go", "travel", "pass", "flow", "proceed"),
    ("top", "peak", "summit", "apex", "highest"),
    ("bottom", "lowest", "foot"),
    ("near", "close", "nearby", "adjacent"),
    ("far", "distant", "remote"),
    ("old", "ancient", "aged", "elderly"),
    ("new", "novel", "recent", "fresh", "modern"),
    ("often", "frequently", "usually", "commonly", "typically", "mostly"),
    ("rarely", "seldom", "infrequently"),
    ("about", "approximately", "around", "roughly", "approx", "circa", "nearly", "almost"),
    ("because", "due"),
    ("therefore", "thus", "hence", "consequently"),
    ("between", "among", "amongst"),
    ("person", "individual", "human", "people", "someone"),
    ("child", "kid", "offspring"),
    ("money", "cash", "funds", "capital"),
    ("price", "cost", "fee", "charge"),
    ("buy", "purchase", "acquire"),
    ("sell", "vend", "trade"),
    ("job", "work", "task", "duty", "role"),
    ("work", "operate", "run"),
    ("learn", "study", "train"),
    ("teach", "instruct", "educate"),
    ("think", "believe", "consider", "reckon"),
    ("know", "understand", "comprehend"),
    ("try", "attempt", "seek"),
    ("test", "check", "examine", "verify", "evaluate", "assess", "evaluation"),
    ("measure", "gauge", "quantify"),
    ("limit", "restrict", "constrain", "bound", "cap", "restriction", "constraint"),
    ("protect", "defend", "guard", "shield"),
    ("attack", "assault", "strike"),
    ("fix", "repair", "correct", "mend"),
    ("break", "damage", "breakdown", "rupture"),
    ("pay", "compensate", "payment"),
    ("law", "statute", "legislation"),
    ("country", "nation"),
    ("city", "town", "municipality"),
    ("war", "conflict", "warfare"),
    ("king", "monarch", "ruler", "sovereign"),
    ("leader", "chief"),
    ("ability", "capacity", "capability", "able", "capable"),
    ("look", "appear", "seem"),
    ("inside", "within", "internal", "interior"),
    ("outside", "external", "exterior"),
    ("before", "prior", "preceding", "previously"),
    ("after", "following", "subsequent", "afterwards", "later"),
    ("high", "elevated", "higher"),
    ("low", "reduced", "lower"),
    ("whole", "overall", "entire"),
    ("probability", "chance", "likelihood", "odds"),
    ("likely", "probable"),
    ("result", "outcome", "consequence", "effect"),
    ("reason", "cause", "basis", "grounds"),
    ("example", "instance", "sample"),
    ("group", "collection", "cluster", "class", "category"),
    ("list", "sequence", "series", "array"),
    ("layer", "tier"),
    ("picture", "image", "photo", "photograph"),
    ("word", "term", "expression"),
    ("talk", "speak", "speech"),
    ("write", "record"),
    ("copy", "duplicate", "replicate", "clone"),
    ("surround", "enclose", "encircle"),
    ("inner", "interior"),
    ("house", "home", "dwelling"),
    ("dead", "deceased"),
    ("death", "dying"),
    ("deliberately", "intentionally", "purposely", "deliberate", "intentional"),
    ("simultaneously", "concurrently", "together"),
    ("repeatedly", "iteratively", "again"),
    ("random", "randomly", "arbitrary", "stochastic"),
)

#: Multi-word phrases rewritten to one canonical word before matching.
PHRASES: tuple[tuple[str, str], ...] = (
    (r"\b(?:go|goes|going|gone|went|move|moves|moved|moving|shoot|shoots|shot|ramp|ramps|ramped|"
     r"climb|climbs|climbed|jump|jumps|jumped) up\b", "increases"),
    (r"\b(?:go|goes|going|gone|went|move|moves|moved|moving|come|comes|came|coming|drop|drops|"
     r"dropped|shut|shuts) down\b", "decreases"),
    (r"\bother than\b", "except"),
    (r"\b(?:rather than|instead of)\b", "and not"),
    (r"\bspeed(?:s|ed)? up\b", "accelerates"),
    (r"\b(?:turn|turns|turned|switch|switches|switched|shut|shuts) off\b", "disables"),
    (r"\b(?:turn|turns|turned|switch|switches|switched) on\b", "enables"),
    (r"\b(?:a lot of|lots of|loads of|a bunch of|plenty of|a great many|a large number of)\b", "many"),
    (r"\b(?:as well as|along with|together with|plus)\b", "and"),
    (r"\bin order to\b", "to"),
    (r"\bset(?:s|ting)? to (?:zero|0)\b", "zeroes"),
    (r"\bmore than\b", "over"),
    (r"\bless than\b", "under"),
    (r"\bat least\b", "minimum"),
    (r"\bat most\b", "maximum"),
    (r"\bgive(?:s)? up\b", "abandons"),
    (r"\bfigure(?:s|d)? out\b", "determines"),
    (r"\bfind(?:s)? out\b", "discovers"),
    (r"\bset(?:s)? up\b", "establishes"),
    (r"\bbreak(?:s)? down\b", "decomposes"),
    (r"\bbroken down\b", "decomposed"),
    (r"\bbreaks? apart\b", "decomposes"),
    (r"\bcarr(?:y|ies|ied) out\b", "performs"),
    (r"\bpoint(?:s)? out\b", "indicates"),
    (r"\bcome(?:s)? from\b", "originates"),
    (r"\bmade up of\b", "composed of"),
    (r"\bmake(?:s)? up\b", "compose"),
)

#: Texting shorthand students type, mapped to the word it stands for.
SHORTHAND: dict[str, str] = {
    "bc": "because", "b/c": "because", "cuz": "because", "coz": "because",
    "w/": "with", "w/o": "without", "thru": "through", "ur": "your", "bn": "billion",
    "govt": "government", "gov't": "government", "approx": "approximately", "esp": "especially",
    "info": "information", "diff": "difference", "tho": "though", "btw": "between",
    "b/w": "between", "wrt": "with respect to", "amt": "amount", "qty": "quantity",
    "num": "number", "nums": "numbers", "no.": "number", "yr": "year", "yrs": "years",
    "hr": "hour", "hrs": "hours", "mins": "minutes", "ppl": "people", "pls": "please",
    "msg": "message", "sth": "something", "smth": "something", "sb": "somebody",
    "dept": "department", "mgmt": "management", "intl": "international", "natl": "national",
    "avg": "average", "eqn": "equation",
    "vit": "vitamin", "aka": "also known as", "ie": "that is", "eg": "for example",
}

#: Number words and their values.
NUMBER_WORDS: dict[str, float] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 1e6, "billion": 1e9, "trillion": 1e12, "dozen": 12, "single": 1, "twice": 2,
    "double": 2, "half": 0.5,
}

#: Ordinals written with digits, mapped to words (5th -> fifth) so both spellings match.
ORDINAL_WORDS: dict[int, str] = {
    1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
    8: "eighth", 9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth",
}

#: Whole answers that mean "I don't know" (after normalisation).
IDK_PHRASES = (
    "i don't know", "i do not know", "dont know", "don't know", "do not know", "idk", "dunno",
    "no idea", "no clue", "not sure", "i'm not sure", "im not sure", "unsure", "don't remember",
    "dont remember", "do not remember", "can't remember", "cant remember", "cannot remember",
    "forgot", "i forgot", "forgotten", "no answer", "pass", "skip", "skipped", "next", "?", "??",
    "???", "...", "-", "--", "n/a", "na", "nothing", "blank", "i give up", "give up",
    "no clue at all", "not a clue", "haven't a clue", "beats me", "who knows", "whatever",
    "je ne sais pas", "aucune idée", "aucune idee", "no sé", "no se", "ni idea", "no lo sé",
    "no lo se", "keine ahnung", "weiß nicht", "weiss nicht", "non lo so",
)

#: Filler words an idk answer may wrap around its core ("um, no idea sorry").
IDK_FILLER = frozenset(
    {"um", "uh", "umm", "hmm", "erm", "er", "sorry", "honestly", "really", "just", "lol", "tbh",
     "i", "im", "i'm", "the", "answer", "this", "one", "at", "all", "about", "what", "it", "is",
     "that", "ok", "okay", "well", "so", "oh", "no", "yeah", "yes", "haha", "sry", "mate",
     "please", "pls", "ugh", "clue", "idea", "know", "remember", "sure", "question", "number",
     "word", "name", "term", "any", "have", "a", "to", "be", "honest", "completely",
     "totally", "already", "again", "anymore", "either", "here", "there"}
)

#: Units of the same quantity: writing one for another is a wrong answer, not a paraphrase.
UNIT_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"second", "seconds", "sec", "secs", "s", "minute", "minutes", "min", "mins", "hour",
               "hours", "hr", "hrs", "h", "day", "days", "week", "weeks", "month", "months", "year",
               "years", "yr", "yrs", "decade", "decades", "century", "centuries", "ms", "millisecond",
               "milliseconds", "microseconds", "nanoseconds", "ns"}),
    frozenset({"m", "km", "cm", "mm", "nm", "metre", "metres", "meter", "meters", "kilometre",
               "kilometres", "kilometer", "kilometers", "mile", "miles", "mi", "ft", "foot", "feet",
               "inch", "inches", "yard", "yards", "au"}),
    frozenset({"g", "kg", "mg", "gram", "grams", "kilogram", "kilograms", "milligram", "milligrams",
               "lb", "lbs", "pound", "pounds", "ounce", "ounces", "oz", "ton", "tons", "tonne", "tonnes"}),
    frozenset({"b", "kb", "mb", "gb", "tb", "pb", "byte", "bytes", "bit", "bits", "kilobyte",
               "kilobytes", "megabyte", "megabytes", "gigabyte", "gigabytes", "terabyte", "terabytes"}),
    frozenset({"degree", "degrees", "radian", "radians", "deg", "rad"}),
    frozenset({"celsius", "fahrenheit", "kelvin"}),
    frozenset({"l", "ml", "litre", "litres", "liter", "liters", "millilitre", "millilitres",
               "gallon", "gallons", "pint", "pints", "cc"}),
    frozenset({"v", "mv", "kv", "volt", "volts", "millivolt", "millivolts"}),
    frozenset({"w", "kw", "mw", "watt", "watts", "kilowatt", "kilowatts"}),
    frozenset({"hz", "khz", "mhz", "ghz", "hertz"}),
    frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
               "tenth", "eleventh", "twelfth"}),
)
