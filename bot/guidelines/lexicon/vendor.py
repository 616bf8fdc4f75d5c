"""The words of the pitch rule's second reading, who acts: a product as the subject of what
is offered ("Rotobot is a tool that", "Move's platform captures", "X has launched"), the
terms of a sale and of a launch, against a user as the subject of the work ("I tested X",
"the studio's artists used X").

Source and licence: written for this project by its authors (MIT, as the rest of wgml-bot)
from the session guidelines in the working group's annual review and from the vocabulary of
public vendor pages and talk programs; the translations are the authors' own. No
third-party word list is copied (bot/guidelines/lexicon/__init__.py says more, and the
syntax of a term). The verbs and nouns below are read by regular expressions
(bot/guidelines/engine/voice.py): plain lower-case words, case-folded, no `*`.
"""

from __future__ import annotations

# What a product does for its buyer when it is the subject: "X lets studios ...".
OFFER_VERBS: tuple[str, ...] = (
    "lets", "frees", "gives", "delivers", "offers", "provides", "enables", "allows", "helps",
    "empowers", "brings", "captures", "combines", "converts", "turns", "transforms",
    "automates", "streamlines", "accelerates", "simplifies", "supports", "leverages",
    "addresses", "features", "includes", "integrates", "exports", "connects", "produces",
    "generates", "eliminates", "removes", "handles", "adapts", "assists", "analyzes",
    "analyses", "makes", "comes with", "ships with", "works with", "plugs into",
    "has partnered", "partners", "is designed", "was designed", "is built", "was built",
    "was made", "is made", "is now", "is available", "was developed to", "is used by",
    # French, German, Spanish, Portuguese
    "permet", "offre", "propose", "aide", "fournit", "facilite", "automatise", "genere",
    "ermoglicht", "bietet", "hilft", "liefert", "automatisiert", "erzeugt", "unterstutzt",
    "permite", "ofrece", "ayuda", "asiste", "facilita", "proporciona", "brinda", "genera",
    "automatiza", "oferece", "ajuda", "fornece", "gera",
)
# A launch: the product released, announced or introduced.
LAUNCH_VERBS: tuple[str, ...] = (
    "launched", "launches", "has launched", "have launched", "released", "releases",
    "has released", "announced", "announces", "has announced", "unveiled", "unveils",
    "has unveiled", "introduced", "introduces", "debuted", "debuts", "lance", "a lance",
    "presente", "lanzo", "ha lanzado", "presento", "lancou", "stellt vor", "hat vorgestellt",
    "veroffentlicht",
)
# "X is a tool that ...": what a product is, after "is a", "est un", "es un", "ist ein".
PRODUCT_KINDS: tuple[str, ...] = (
    "tool", "platform", "software", "program", "programme", "plugin", "plug in", "add on",
    "addon", "service", "solution", "app", "application", "suite", "toolkit", "toolset",
    "renderer", "render farm", "product", "cloud platform", "online platform", "assistant",
    "tracker", "generator", "ferme de calcul", "ferme de rendu",
    "outil", "logiciel", "plateforme", "programa", "herramienta", "plataforma", "aplicacion",
    "ferramenta", "aplicativo", "werkzeug", "plattform", "losung", "anwendung",
)
# Commercial and launch terms a vendor's page carries (one each, at most two counted).
COMMERCIAL: tuple[str, ...] = (
    "customers", "subscription*", "licenses", "licences", "licensing", "license plans",
    "plans", "pricing", "trial", "enterprise", "per seat", "roi", "save time and money",
    "fraction of the cost", "request access", "get started", "contact us", "register",
    "in the shop", "on sale", "purchase", "buy", "now in beta", "in beta", "open beta",
    "public beta", "early access", "beta", "version", "new version", "features include",
    "key features", "the benefits of", "solutions engineer", "product manager",
    "product specialist", "evangelist", "sales", "anbieter", "provider", "vendor",
    "clientes", "kunden", "clients", "abonnement", "licence", "license", "hourly rate",
    "billing", "pay as you go", "pay only for", "tarification", "facturation", "abrechnung",
    "facturacion", "cobranca",
    # CJK: a solution, no need to, in minutes, the launch, customers
    "解决方案", "无需", "几分钟内", "全链路", "正式发布", "重磅", "赋能", "助力", "上线",
    "ソリューション", "サービス", "シームレス", "設立以来", "ご相談", "お気軽に", "安心して",
    "솔루션", "서비스를 제공", "출시했", "손쉽",
)
# Words before the product that are not a product's name: pronouns, articles, the
# sentence's usual openers, and people and teams (who use products).
NOT_A_NAME: frozenset[str] = frozenset({
    "the", "this", "that", "these", "those", "it", "its", "we", "our", "they", "their",
    "he", "she", "his", "her", "i", "my", "you", "your", "a", "an", "in", "on", "at", "for",
    "with", "by", "from", "to", "of", "as", "and", "but", "or", "so", "each", "every", "all",
    "both", "most", "many", "some", "one", "such", "here", "there", "then", "when", "while",
    "where", "what", "how", "why", "which", "who", "after", "before", "during", "today",
    "now", "unlike", "like", "using", "no", "not", "also", "finally", "however", "instead",
    "le", "la", "les", "un", "une", "ce", "cette", "il", "elle", "nous", "notre", "der",
    "die", "das", "ein", "eine", "es", "wir", "unser", "unsere", "el", "los", "las", "una",
    "su", "sus", "o", "os", "um", "uma", "seu", "sua", "researchers", "artists",
    "users", "studios", "teams", "animators", "authors", "speakers", "engineers", "students",
    "ai", "ml", "machine", "deep", "neural", "this talk", "talk", "paper", "session",
})
# Studios and groups, who use products: never a product as subject ("Pixar's system lets").
STUDIOS: tuple[str, ...] = (
    "ilm", "industrial light", "weta", "wētā", "weta fx", "dneg", "framestore", "pixar",
    "dreamworks", "disney", "sony pictures", "imageworks", "mpc", "laika", "animal logic",
    "digital domain", "scanline", "rodeo", "mikros", "cinesite", "netflix", "blue sky",
    "illumination", "image engine", "ea", "seed", "ubisoft", "epic", "nexon", "square enix",
)
# A user as the subject of the work: the narrator trying a product, a studio's artists.
USER: tuple[str, ...] = (
    "i used", "i use", "i tried", "i tested", "i explored", "i evaluated", "i compared",
    "i wanted to test", "i made", "i built", "i created", "i scanned", "i share",
    "my own", "personal project", "my research", "my work", "on my", "as a user",
    "as users", "our lead", "in our film", "on this film", "our actor", "we let",
    "j'ai utilise", "j'ai teste", "ich habe", "usei", "testei",
)

# --- the register of a vendor's page (bot/guidelines/engine/register.py) -------------------
# COMPANY, ANNOUNCE and INSTRUCTIONS are read by the index (the syntax of
# bot/guidelines/lexicon/__init__.py); KIND_SUBJECTS by a regular expression (plain words).
# The company as narrator or subject: its people, its money, its own products.
COMPANY: tuple[str, ...] = (
    "the company", "the company's", "the startup", "the start up", "startup", "start up",
    "founder", "founders", "co founder", "co founders", "cofounder", "founded by", "ceo",
    "chief executive", "has raised", "in funding", "funding from", "funding round",
    "seed round", "investors", "acquired by", "has acquired", "our tools", "our proprietary",
    "our blog", "our guides", "demo team", "product team", "accelerator program",
    "partnership with", "our collaboration with",
    "l'entreprise", "la societe", "la start up", "fondateur", "cofondateur", "pdg",
    "levee de fonds", "nos outils", "notre technologie", "das unternehmen", "grunder",
    "mitbegrunder", "gegrundet", "geschaftsfuhrer", "ubernommen", "ubernahme",
    "unsere werkzeuge", "la empresa", "la compania", "a empresa", "fundador", "cofundador",
    "fundada", "fundado", "nuestras herramientas", "nossa tecnologia",
    "同社", "社長", "代表取締役", "創業", "スタートアップ", "資金調達", "買収", "弊社",
    "创始人", "創辦人", "首席执行官", "融资", "收购", "旗下", "厂商", "廠商", "初创",
    "대표는", "대표가", "대표이사", "스타트업", "창업", "자사", "투자 유치", "인수했", "인수한",
    "솔루션은",
    # A business's own plans and its offer of service to the reader.
    "business strategy", "go to market", "strategie commerciale", "estrategia comercial",
    "geschaftsstrategie", "사업 전략", "事業戦略", "商业策略", "商業策略", "we can help you",
    "nous pouvons vous aider", "wir helfen ihnen", "podemos ayudarte", "podemos ayudarle",
    "podemos ajudar", "お手伝いします", "도와드립니다",
)
# An announcement in the third person: a release, a launch, a new version.
ANNOUNCE: tuple[str, ...] = (
    "unveiled", "unveils", "launched", "launches", "rolls out", "rolled out", "rolling out",
    "opening up access", "opening access", "released updates", "released a new",
    "released version", "has released", "announced", "announces", "debuts", "debuted",
    "beta version", "in beta", "open beta", "the new version", "latest version",
    "latest release", "release notes", "what's new", "now supports", "now provides",
    "now includes", "now offers", "version 2", "version 3", "is now available",
    "lance", "a lance", "lancee", "devoile", "lanzo", "lanza", "ha lanzado", "presento",
    "lancou", "stellt vor", "vorgestellt", "hat vorgestellt", "neue version",
    "発表した", "を発表", "リリース", "提供開始", "発売", "新機能", "출시", "선보였", "공개했",
    "发布", "發布", "推出", "上线", "正式版", "新版本",
)
# A tutorial's or a manual's instructions to the reader of the product.
INSTRUCTIONS: tuple[str, ...] = (
    "click on", "click the", "then click", "right click", "double click", "drag and drop",
    "navigate to", "you can use", "you can choose", "you can select", "you will need",
    "you need to", "make sure the", "from the homepage", "must be enabled",
    "cliquez sur", "klicken sie auf", "haga clic en", "clique em", "をクリック", "点击按钮",
    "을 클릭", "를 클릭",
)
# A product kind as the subject, with no name: "the platform provides", "the tool lets".
KIND_SUBJECTS: tuple[str, ...] = (
    "platform", "tool", "software", "plugin", "service", "solution", "app", "engine",
    "assistant", "toolset", "plateforme", "outil", "logiciel", "plataforma", "herramienta",
)
