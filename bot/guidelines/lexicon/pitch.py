"""The words of the pitch rule: sales terms, marketing words, copy that speaks to the reader,
and what a user showing a product in their own work says.

Source and licence: written for this project by its authors (MIT, as the rest of wgml-bot)
from the session guidelines in the working group's annual review and from the vocabulary of
public talk programs; the translations are the authors' own. No third-party word list is
copied (bot/guidelines/lexicon/__init__.py says more, and the syntax of a term).
"""

from __future__ import annotations

# --- pitch: a commercial product pitch ---------------------------------------------------
PITCH_STRONG: tuple[str, ...] = (
    "pricing", "per seat", "per month", "per year", "subscription*", "license fee*",
    "licensing options", "discount*", "promo code", "coupon", "free trial",
    "contact our sales team", "contact our sales",
    "contact sales", "sales team", "talk to sales", "talk to our sales", "contact us",
    "book a demo", "request a demo", "schedule a demo", "get a demo", "live demo of our",
    "sign up", "signup", "register now", "register today", "buy now", "order today", "order now",
    "get started today", "start your free", "limited time", "limited offer", "special offer",
    "early bird", "contact our team", "for a quote", "get a quote", "request a quote",
    "try it free", "try for free", "try free", "start free", "visit our booth",
    "visit us at booth", "booth", "learn more at", "download our", "our sales", "reseller*",
    "partner program", "roi", "return on investment", "register for the webinar",
    "register for our webinar", "join our webinar", "webinar registration", "book a call",
    "book a meeting", "save time and money",
    # French
    "tarif*", "prix", "abonnement*", "essai gratuit", "contactez notre equipe commerciale",
    "contactez nous", "demandez une demo", "reservez une demo", "offre speciale", "inscrivez vous",
    # German
    "preise", "preis", "abonnement", "kostenlos testen", "testversion",
    "kontaktieren sie unser vertriebsteam", "kontaktieren sie uns", "vertrieb*", "demo buchen",
    "demo anfordern", "jetzt anmelden", "sonderangebot", "rabatt", "unverbindlich*",
    # Spanish / Portuguese
    "precio*", "preco*", "suscripcion", "assinatura*", "prueba gratuita", "prueba gratis",
    "teste gratuito", "teste gratis", "contacte a nuestro equipo de ventas", "contacta a ventas",
    "equipo de ventas", "equipe de vendas", "fale com vendas", "solicite una demo",
    "solicite uma demo", "agende una demo", "agende uma demo", "reserve una demo", "registrese",
    "inscreva se", "oferta especial", "descuento*", "desconto*",
    # Japanese
    "価格", "料金", "無料トライアル", "無料体験", "お問い合わせ", "営業担当", "営業チーム",
    "デモを予約", "デモのお申し込み", "資料請求", "今すぐ登録", "キャンペーン", "割引", "月額",
    "ライセンス料", "販売",
    # Chinese
    "价格", "價格", "定价", "免费试用", "免費試用", "联系销售", "聯繫銷售", "销售团队", "銷售團隊",
    "预约演示", "預約演示", "立即注册", "立即購買", "立即购买", "优惠", "折扣", "订阅", "訂閱",
    "报价",
    # Korean
    "가격", "요금", "무료 체험", "무료체험", "영업팀", "판매팀", "문의하기", "데모 예약",
    "데모 신청", "지금 등록", "구독", "할인", "구매",
)
PITCH_WEAK: tuple[str, ...] = (
    "our platform", "our product", "our products", "our solution", "our solutions", "our software",
    "our tool suite", "our offering", "our customers", "our clients", "customers",
    "leading provider", "market leader", "industry leading", "industry leader", "best in class",
    "world class", "world's first", "world's leading", "worlds first", "revolutionary",
    "game changing", "game changer", "cutting edge", "next generation",
    "state of the art platform", "unmatched", "unparalleled", "unrivaled", "seamless*",
    "effortless*", "unlock", "unlocks", "empower*", "supercharge*", "turnkey", "all in one",
    "end to end platform", "enterprise grade", "enterprise ready", "out of the box", "no code",
    "one click", "10x", "boost productivity", "join us", "don't miss", "do not miss", "see how",
    "discover how", "find out how", "learn how our", "trusted by", "used by leading",
    "leading studios", "award winning", "flagship", "ai platform", "reduce the costs",
    "reducing costs", "reduce costs", "democratiz*", "streamline*", "in minutes", "launch*",
    "introducing", "now available", "new release", "roadmap", "notre plateforme", "notre solution",
    "nos clients", "leader du marche", "revolutionnaire", "unsere plattform", "unsere losung",
    "unsere kunden", "marktfuhrer", "revolutionar", "nuestra plataforma", "nuestra solucion",
    "nuestros clientes", "nossa plataforma", "nossa solucao", "nossos clientes",
    "lider del mercado", "lider de mercado", "revolucionari*", "当社のプラットフォーム",
    "当社製品", "弊社", "当社", "業界最高", "画期的", "革新的", "我们的平台", "我們的平台",
    "我们的产品", "我們的產品", "业界领先", "業界領先", "革命性", "一站式", "저희 플랫폼",
    "우리 플랫폼", "당사", "업계 최고", "혁신적인", "고객사",
    # The vendor's own voice: what it offers, its new features, the reader's studio.
    "we offer", "plans start at", "plans starting at",
    "commercialized", "commercialised", "productized", "productised", "coming soon",
    "we showcase", "new features", "new feature", "new functionality", "latest release",
    "latest version", "the new version", "your studio", "your team", "your pipeline",
    "your artists", "your workflow", "your production*", "your business", "your projects",
    "learn how", "than ever", "customer story", "customer stories",
    "anyone can", "easy to use", "in just a few clicks", "a few clicks", "beginner*",
    "the fastest", "the easiest", "the most advanced", "the most powerful", "lets you",
    "helps you", "allows you", "enables you", "available now", "this product", "ce produit",
    "le plus rapide", "la plus rapide", "dieses produkt", "der schnellste", "este producto",
    "este produto", "el mas rapido", "la mas rapida", "o mais rapido", "a mais rapida",
    "本製品", "最速", "本产品", "最快", "본 제품", "가장 빠른",
    "nous proposons une", "nouvelles fonctionnalites", "nouvelle fonctionnalite",
    "votre studio", "votre equipe", "debutant*", "wir bieten", "neue funktionen",
    "ihr studio", "ihr team", "ganz einfach", "einsteiger*", "ofrecemos", "nuevas funciones",
    "nuevas funcionalidades", "tu estudio", "su estudio", "principiantes",
    "oferecemos", "novos recursos", "novas funcionalidades", "seu estudio", "iniciantes",
    "商品化", "製品化", "提供しています", "提供しており", "新機能", "機能を追加",
    "追加する予定", "誰でも", "手軽に", "初心者", "ハイクオリティ", "商业化", "推出",
    "新功能", "轻松", "一键", "新手", "상용화", "출시", "제공합니다", "새로운 기능", "신기능",
    "누구나", "손쉽게", "초보자", "간편하게",
)
# Marketing copy addresses the reader; three or more of these weigh as marketing words.
# Not the false friends: French "du" (of the), Portuguese "seu", "sua" (also his, her, its).
YOU: tuple[str, ...] = (
    "you", "your", "yours", "you're", "vous", "votre", "vos", "ihr", "ihre", "ihren", "ihrem",
    "dir", "dich", "dein", "deine", "deinen", "deinem", "deiner", "皆様",
    "tu", "tus", "usted", "ustedes", "voce", "voces", "ください",
    "下さい", "お客様", "您", "你的", "贵公司", "하세요", "십시오", "보세요", "귀하",
)
# A user showing a product in their own work (welcome): "we used Nuke's CopyCat in our
# pipeline and measured ...". Softens the weak pitch words, never the strong ones.
SHOWCASE: tuple[str, ...] = (
    "we used", "we use", "we adopted", "we evaluated", "we tested", "we tried", "we integrated",
    "we compared", "in our pipeline", "into our pipeline", "our artists", "our compositors",
    "our animators", "our show", "on the show", "on our show", "on the film", "on our film",
    "our studio", "at our studio", "in production on", "our production", "we measured",
    "our experience", "as users", "as a user", "nous avons utilise", "notre pipeline",
    "nos artistes", "wir haben", "unsere pipeline", "unsere artists", "usamos", "utilizamos",
    "nuestro pipeline", "nossos artistas", "nosso pipeline", "使用し", "導入し", "社内で",
    "我们使用", "我們使用", "我们在", "사용했", "도입했", "우리 스튜디오",
)

# Words just before "pricing" that make it a cost comparison, not a price list.
PRICE_CONTEXT: tuple[str, ...] = (
    "cloud", "gpu", "gpus", "spot", "instance", "instances", "compute", "aws", "azure", "gcp",
    "vendor", "vendors", "on demand", "reserved", "api", "token", "tokens", "storage", "egress",
    "their", "compared", "comparing", "versus", "vs", "and",
    # A user's own bill: "licence cost per seat mattered more than GPUs", "we paid per month".
    "cost", "costs", "paid", "spent", "licence", "license",
)
