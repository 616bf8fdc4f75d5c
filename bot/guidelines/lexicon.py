"""The words the guidelines engine reads, per rule and language.

Source and licence: written for this project by its authors (MIT, as the rest of wgml-bot)
from the session guidelines in the working group's annual review (the four principles and
two boundaries) and from the vocabulary of public talk programs (SIGGRAPH and DigiPro talks,
FMX, GTC, ML conference abstracts, vendor webinar listings). The translations (French,
German, Spanish, Portuguese, Japanese, Chinese, Korean) are the authors' own; they are the
common industry words, not a dictionary's. No third-party word list is copied.

Syntax of a term: lower case, accents optional (the text and the terms are both folded), a
space stands for any run of spaces or hyphens; a trailing `*` matches any word ending
("render*" reads render, renders, rendering, renderer). Terms written in Latin letters match
whole words; terms in CJK or Hangul match anywhere (those scripts do not separate words).
"""

from __future__ import annotations

# --- relevance: the VFX, animation, film, games and production domain -----------------
# STRONG: words that alone place a talk in the domain.
DOMAIN_STRONG: tuple[str, ...] = (
    # English
    "vfx", "visual effects", "visual effect", "special effects", "animation*", "animator*",
    "animated", "film*", "movie*", "cinema*", "feature film", "short film", "tv series",
    "episodic", "television", "commercials", "filmmak*", "previs*", "postvis", "post production",
    "postproduction", "compositing", "compositor*", "comp artist*", "rotoscop*", "roto",
    "matte", "mattes", "matting",
    "keying", "green screen", "greenscreen", "blue screen", "plate", "plates", "shot", "shots",
    "per shot", "render*", "path trac*", "ray trac*", "denois*", "shader*", "shading", "lookdev",
    "look development", "look dev", "lighting artist*", "texturing", "texture artist*", "rig",
    "rigs", "rigging", "rigger*", "deformer*", "skinning", "blendshape*", "blend shape*",
    "keyframe*", "key frame*", "inbetween*", "in between*", "motion capture", "mocap",
    "performance capture", "facial capture", "face capture", "retarget*", "lip sync", "lipsync",
    "crowd*", "groom*", "hair simulation", "cloth", "fx artist*", "fx simulation",
    "simulation artist*", "fluid simulation", "destruction", "layout artist*", "storyboard*",
    "concept art*", "matte painting", "set dressing", "virtual production", "led volume",
    "led wall", "in camera vfx", "icvfx", "dcc", "dccs", "houdini", "maya", "nuke", "nukex",
    "katana", "blender", "unreal engine", "unreal", "renderman", "arnold render*", "v ray", "vray",
    "redshift", "usd", "openusd", "openexr", "exr", "materialx", "opencolorio", "ocio", "openvdb",
    "openimageio", "oiio", "osl", "alembic", "shotgrid", "shotgun", "ftrack", "substance",
    "zbrush", "mari", "cinema 4d", "3ds max", "davinci resolve", "after effects", "silhouette",
    "mocha", "copycat", "davinci", "premiere pro", "autodesk flame", "unity engine", "game",
    "games", "gaming", "video game*", "game engine*", "game dev*", "aaa", "cutscene*", "npc",
    "npcs", "level design", "esports", "studio", "studios", "artist*", "digital human*",
    "digital double*", "de aging", "deaging", "face swap*", "face replacement", "deepfake*",
    "character animation", "creature*", "cg", "cgi", "3d asset*", "digital asset*", "mesh*",
    "character rig*", "point cloud*", "nerf*", "gaussian splat*", "splat*", "photogrammetry",
    "lidar scan*", "3d scan*", "3d model*", "uv", "uvs", "voxel*", "volumetric*", "upres",
    "upscal*", "super resolution", "frame interpolation", "frame rate", "motion blur",
    "depth of field", "optical flow", "colour grading", "color grading", "grading", "colorist*",
    "colourist*", "dailies", "editorial", "conform", "vfx supervisor*", "art direct*",
    "cel animation", "anime", "stop motion", "2d animation", "3d animation", "ilm",
    "industrial light", "weta", "wētā", "dneg", "framestore", "pixar", "dreamworks",
    "disney animation", "walt disney", "sony pictures imageworks", "imageworks", "image engine",
    "mpc", "rising sun pictures", "laika", "illumination", "animal logic", "digital domain",
    "scanline", "rodeo fx", "mikros", "cinesite", "sesame street", "netflix animation", "foundry",
    "autodesk", "sidefx", "aswf", "academy software foundation", "siggraph", "digipro", "fmx",
    "annecy", "vfx pipeline", "production pipeline", "render farm*", "renderfarm*",
    "media and entertainment", "entertainment industry", "film industry", "hollywood", "wrangler*",
    "technical director*", "technical artist*", "pipeline td*", "concept artist*",
    "look dev artist*", "footage",
    # French
    "effets visuels", "effets speciaux", "cinema", "long metrage", "court metrage", "dessin anime",
    "animateur*", "animatrice*", "rendu", "rendus", "etalonnage", "plan par plan", "tournage",
    "personnage*", "studio d'animation", "decor*", "habillage", "incrustation", "jeu video",
    "jeux video", "images de synthese",
    # German
    "spezialeffekte", "visuelle effekte", "trickfilm*", "zeichentrick*", "filmproduktion*",
    "kinofilm*", "spielfilm*", "animationsfilm*", "rendering", "gerendert", "renderzeit*",
    "figuren", "charakter*", "videospiel*", "computerspiel*", "spieleentwicklung", "filmstudio*",
    "postproduktion", "compositing", "beleuchtung",
    # Spanish / Portuguese
    "efectos visuales", "efeitos visuais", "efectos especiales", "efeitos especiais", "pelicula*",
    "peliculas", "largometraje*", "cortometraje*", "animacion*", "animacao", "animacoes",
    "animadores", "renderizado", "renderizacao", "renderizar", "personaje*", "personagem",
    "personagens", "videojuego*", "videojogo*", "jogos", "juegos", "posproduccion", "pos producao",
    "postproduccion", "estudio de animacion", "estudios de animacion", "estudio de animacao",
    "produtora*", "cinematograf*", "fotograma*", "quadros", "filmagem", "rodaje", "iluminacion",
    "iluminacao", "captura de movimiento", "captura de movimento", "composicion", "composicao",
    # Japanese
    "アニメーション", "アニメ", "映像制作", "映画", "視覚効果", "特殊効果", "ＶＦＸ",
    "レンダリング", "コンポジット", "コンポジティング", "ロトスコープ", "リギング", "リグ",
    "モーションキャプチャ", "モーキャプ", "キャラクター", "ゲーム", "3dcg", "ＣＧ", "アニメーター",
    "作画", "中割り", "彩色", "原画", "絵コンテ", "撮影", "背景美術", "制作パイプライン", "映像",
    "シェーダー", "ライティング", "スタジオ", "セルアニメ",
    # Chinese
    "视觉特效", "特效", "视效", "動畫", "动画", "电影", "電影", "影视", "影視", "渲染", "合成",
    "抠像", "摳像", "绑定", "綁定", "动作捕捉", "動作捕捉", "动捕", "角色", "游戏", "遊戲", "美术",
    "美術", "镜头", "鏡頭", "制片", "后期制作", "後期製作", "三维", "三維", "数字人", "數字人",
    "原画", "中间帧", "特效师", "动画师", "動畫師",
    # Korean
    "시각효과", "시각 효과", "특수효과", "애니메이션", "영화", "영상", "렌더링", "합성",
    "컴포지팅", "로토스코핑", "리깅", "모션 캡처", "모션캡처", "캐릭터", "게임", "스튜디오",
    "아티스트", "후반 작업", "후반작업", "작화", "콘티",
)
# WEAK: words a production talk uses but so do others ("in production", "pipeline").
DOMAIN_WEAK: tuple[str, ...] = (
    "production", "pipeline", "pipelines", "creative*", "content creation", "media",
    "entertainment", "image*", "video*", "3d", "2d", "camera*", "visual*", "pixel*", "simulation*",
    "lighting", "look", "style transfer", "generative video", "text to video", "image generation",
    "diffusion model*", "vision", "graphics", "gpu render*", "m&e", "streaming", "broadcast*",
    "live action", "production*", "produktion*", "produccion", "producao", "produccion*", "制作",
    "製作", "生产", "파이프라인", "제작", "パイプライン", "管线", "管線", "流程", "imagem",
    "imagen*", "bild*", "vidéo", "video",
)

# What else a talk may read as, named in the relevance reason ("reads as ad ranking").
OFF_TOPIC: dict[str, tuple[str, ...]] = {
    "ad ranking": ("ad ranking", "ads ranking", "ad click*", "click through", "ctr",
                   "advertis*", "ad targeting", "ad auction*", "bidding", "ad serving", "ads",
                   "publicite*", "werbung", "anuncios", "publicidad", "publicidade",
                   "広告", "广告", "廣告", "광고"),
    "marketing or distribution": ("marketing", "box office", "ticket sales", "tickets",
                                  "audience targeting", "campaign*", "brands", "vermarktung",
                                  "mercadotecnia", "マーケティング", "营销",
                                  "마케팅"),
    "fraud detection": ("fraud*", "anti money laundering", "aml", "money laundering",
                        "chargeback*", "transaction*", "fraude*", "betrug*", "geldwasche",
                        "不正検知", "不正", "欺诈", "詐欺", "반사기", "사기", "이상거래"),
    "a customer-support chatbot": (
        "customer support", "customer service", "customer care", "call center*", "call centre*",
        "contact center*", "contact centre*", "helpdesk", "help desk", "support ticket*",
        "ticketing", "service client", "kundenservice", "kundendienst", "atencion al cliente",
        "atendimento ao cliente", "atendimento", "servicio al cliente", "カスタマーサポート",
        "コールセンター", "問い合わせ", "客服", "客户服务", "고객 지원",
        "고객지원", "고객 서비스", "콜센터", "상담"),
    "recommendation or e-commerce": (
        "recommender*", "recommendation system*", "recommendation engine*", "e commerce",
        "ecommerce", "shopping", "retail*", "product recommendation*", "conversion rate*", "churn",
        "basket", "comercio electronico", "comercio eletronico", "onlinehandel",
        "推荐系统", "推薦", "レコメンド", "電子商取引", "电商", "추천 시스템", "전자상거래"),
    "finance": ("trading", "stock*", "portfolio*", "credit scor*", "credit risk", "loan*",
                "banking", "bank", "banks", "insurance", "underwriting", "fintech", "finanz*",
                "finance*", "financ*", "banque*", "bolsa", "金融", "株価", "銀行",
                "信用", "금융", "은행", "주가", "보험"),
    "healthcare": ("medical", "clinical", "patient*", "radiolog*", "diagnos*", "hospital*",
                   "drug discovery", "healthcare", "health care", "genomic*", "protein*",
                   "medecine", "medizin*", "medico", "medicina", "salud", "saude", "医療",
                   "診断", "医疗", "醫療", "患者", "病院", "医院", "의료", "환자", "병원"),
    "autonomous driving": ("autonomous driving", "self driving", "autonomous vehicle*",
                           "adas", "conduite autonome", "autonomes fahren", "conduccion autonoma",
                           "自動運転", "自动驾驶", "自動駕駛", "자율주행"),
    "cybersecurity": ("cybersecurity", "cyber security", "malware", "intrusion detection",
                      "phishing", "threat detection", "ciberseguridad", "cybersecurite",
                      "サイバーセキュリティ", "网络安全", "사이버 보안"),
    "logistics or manufacturing": (
        "supply chain", "logistic*", "warehouse*", "inventory", "manufactur*",
        "predictive maintenance", "factory", "factories", "fabrication", "fertigung",
        "lieferkette", "fabrica", "cadena de suministro", "cadeia de suprimentos",
        "物流", "製造", "工場", "供应链", "制造", "공장", "물류", "제조"),
    "search or enterprise documents": (
        "enterprise search", "legal document*", "contracts", "invoices", "sales team*", "crm",
        "hr", "recruit*", "hiring", "employees", "marketing campaign*", "seo",
        "sales forecasting", "demand forecasting", "営業", "人事", "销售", "인사", "영업"),
    "other sciences": ("weather", "climate", "agricultur*", "crop*", "energy grid",
                       "power grid", "seismic", "astronom*", "particle physics", "chemistry",
                       "materials discovery", "气象", "気象", "農業", "农业", "기상", "농업"),
    "speech or text analytics": (
        "sentiment analysis", "speech recognition", "machine translation", "named entity",
        "text classification", "spam", "音声認識", "机器翻译",
        "语音识别", "음성 인식", "감성 분석"),
}

# --- practical: an experiment, a result ------------------------------------------------
EVIDENCE: tuple[str, ...] = (
    "we tried", "we tested", "we trained", "we evaluated", "we measured", "we compared",
    "we benchmarked", "we deployed", "we shipped", "we used", "we built", "we applied", "we ran",
    "we found", "we observed", "we learned", "we learnt", "we integrated", "we fine tuned",
    "we finetuned", "we replaced", "we developed", "we implemented", "we switched",
    "we experimented", "we achieved", "we reduced", "we saved", "we cut", "we abandoned",
    "in production", "used in production", "used on", "lessons learned", "lessons learnt",
    "what worked", "what failed", "what didn't work", "what did not work", "failure mode*",
    "pitfalls", "dead ends", "speedup*", "sped up", "before and after", "ablation", "case study",
    "hands on", "postmortem", "post mortem", "retrospective", "we hit", "user study",
    "artist feedback", "feedback from artists", "gpu hours", "abandoned", "scrapheap",
    "worked well", "did not work", "production ready", "nous avons teste", "nous avons essaye",
    "nous avons entraine", "nous avons evalue", "nous avons mesure", "nous avons compare",
    "nous avons deploye", "nous avons utilise", "nous avons construit", "en production", "lecons",
    "retour d'experience", "echec*", "ce qui a marche", "ce qui a fonctionne",
    "wir haben getestet", "wir haben trainiert", "wir haben evaluiert", "wir haben gemessen",
    "im produktiven einsatz", "erfahrungen", "lektionen", "was funktioniert",
    "was nicht funktioniert", "gescheitert", "probamos", "entrenamos", "evaluamos", "medimos",
    "comparamos", "desplegamos", "utilizamos", "usamos", "construimos", "testamos", "treinamos",
    "avaliamos", "medimos", "implementamos", "en produccion", "em producao", "lecciones", "licoes",
    "aprendizajes", "aprendizados", "lo que funciono", "o que funcionou", "fracaso*", "falha*",
    "検証", "実験", "測定", "計測", "導入", "運用", "試した", "試行", "学習させ", "学習した",
    "削減", "短縮", "高速化", "事例", "失敗", "知見", "教訓", "実践", "プロトタイプ", "本番",
    "实验", "實驗", "测量", "測量", "对比", "對比", "部署", "上线", "落地", "尝试", "嘗試", "降低",
    "减少", "減少", "加速", "案例", "实践", "實踐", "经验", "經驗", "教训", "失败", "失敗",
    "准确率", "실험", "측정", "배포", "도입", "적용", "시도", "학습시", "단축", "감소", "절감",
    "사례", "실패", "교훈", "경험", "프로토타입", "실제 프로덕션",
)
# WEAK: words experiments use, and so do papers that only discuss them.
EVIDENCE_WEAK: tuple[str, ...] = (
    "results", "result", "outcome*", "faster", "slower", "reduced", "reduction", "reduces",
    "saved", "savings", "accuracy", "precision", "recall", "latency", "throughput", "baseline",
    "challenges", "integration", "iterations", "adopted", "adoption", "scaled", "at scale",
    "hours", "minutes", "seconds", "days", "weeks", "ms", "fps", "psnr", "ssim", "lpips", "fid",
    "f1", "iou", "map", "improved", "improvement*", "outperform*", "shows", "episodes", "training",
    "evaluation", "comparison", "compared", "in use", "pilot", "prototype*", "experiment*",
    "tested", "trained", "tried", "evaluated", "measured", "deployed", "deployment", "fine tuning",
    "fine tuned", "finetun*", "benchmark*", "we show", "we demonstrate", "we report",
    "we present results", "per frame", "per shot", "trade off*", "tradeoff*", "works well",
    "error rate", "frames per second", "shipped", "speed up", "teste", "testes", "entraine",
    "entraines", "evalue", "mesure", "resultat*", "experience*", "experimentation*", "deploiement",
    "deploye", "gain*", "plus rapide", "reduit", "heures", "prototype", "getestet", "trainiert",
    "evaluiert", "gemessen", "verglichen", "eingesetzt", "ergebnis*", "versuch*", "einsatz",
    "beschleunigung", "schneller", "reduziert", "stunden", "prototyp*", "resultado*",
    "experimento*", "prueba*", "teste*", "evaluacion", "avaliacao", "despliegue", "implantacao",
    "mas rapido", "mais rapido", "mas rapida", "mais rapida", "reduccion", "reducao", "horas",
    "prototipo*", "評価", "比較", "結果", "成果", "時間", "改善", "精度", "実装", "倍", "评估",
    "評估", "比较", "结果", "提升", "小时", "小時", "原型", "평가", "비교", "결과", "성과", "시간",
    "향상", "정확도", "구현", "测试", "測試", "テスト", "테스트", "训练", "訓練", "훈련", "学習",
    "学习",
)
# A talk that reads as something other than an experiment: named in the practical reason.
THEORY: dict[str, tuple[str, ...]] = {
    "a trend survey": (
        "survey", "overview", "trends", "trend", "landscape", "state of the art review",
        "review of", "the state of", "the future of", "future of", "what's next", "what is next",
        "where we are headed", "coming years", "next decade", "hype", "hype cycle", "market size",
        "market", "predictions", "outlook", "roundup", "panel", "panelists", "discussion",
        "we explore how", "explores how", "will change", "will transform", "will revolutionize",
        "revolutionize", "transformative", "implications", "opportunities and challenges",
        "tour d'horizon", "tendances", "panorama", "etat de l'art", "l'avenir", "avenir",
        "zukunft", "uberblick", "ueberblick", "trends", "tendencias", "panorama", "futuro",
        "el futuro", "o futuro", "estado del arte", "estado da arte", "サーベイ", "総説", "概観",
        "動向", "トレンド", "展望", "未来", "将来", "综述", "綜述", "趋势", "趨勢", "展望",
        "未来", "未來", "概览", "동향", "트렌드", "전망", "미래", "개관", "서베이"),
    "theory": (
        "theorem*", "proof", "prove", "we prove", "bound", "bounds", "generalization bound*",
        "convergence rate*", "complexity", "rademacher", "asymptotic*", "lemma", "theoretical",
        "theoretically", "formalism", "axiom*", "mathematical framework", "theoreme", "theorique",
        "theorie", "theoretisch", "beweis*", "teorema", "teorico", "teorica", "teoria", "定理",
        "証明", "理論", "定理", "证明", "理论",
        "理論", "정리", "증명", "이론"),
    "a position piece": (
        "we argue", "i argue", "argues", "position paper", "manifesto", "essay", "opinion",
        "perspective", "philosoph*", "ethic*", "should we", "must we", "debate", "reflection",
        "reflections", "vision", "our vision", "thought leadership", "provocation",
        "nous soutenons", "reflexion", "wir argumentieren", "reflexion", "defendemos",
        "argumentamos", "reflexao", "考察", "提言", "思考", "观点", "觀點", "관점", "제언"),
}

# --- pitch: a commercial product pitch ---------------------------------------------------
PITCH_STRONG: tuple[str, ...] = (
    "pricing", "per seat", "per month", "per year", "/month", "subscription*", "license fee*",
    "licensing options", "discount*", "promo code", "coupon", "free trial",
    "contact our sales team", "contact our sales",
    "contact sales", "sales team", "talk to sales", "talk to our sales", "contact us",
    "book a demo", "request a demo", "schedule a demo", "get a demo", "live demo of our",
    "sign up", "signup", "register now", "register today", "buy now", "order today", "order now",
    "get started today", "start your free", "limited time", "limited offer", "special offer",
    "early bird", "contact our team", "for a quote", "get a quote", "request a quote",
    "try it free", "try for free", "try free", "start free", "visit our booth",
    "visit us at booth", "booth", "learn more at", "download our", "our sales", "reseller*",
    "partner program", "roi", "return on investment",
    # French
    "tarif*", "prix", "abonnement*", "essai gratuit", "contactez notre equipe commerciale",
    "contactez nous", "demandez une demo", "reservez une demo", "offre speciale", "inscrivez vous",
    # German
    "preise", "preis", "abonnement", "kostenlos testen", "testversion",
    "kontaktieren sie unser vertriebsteam", "kontaktieren sie uns", "vertrieb*", "demo buchen",
    "demo anfordern", "jetzt anmelden", "sonderangebot", "rabatt",
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
)
# Marketing copy addresses the reader; three or more of these weigh as marketing words.
YOU: tuple[str, ...] = (
    "you", "your", "yours", "you're", "vous", "votre", "vos", "ihr", "ihre", "ihren", "ihrem",
    "tu", "tus", "usted", "ustedes", "voce", "voces", "seu", "sua", "seus", "suas", "ください",
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

# --- confidential: company secrets, proprietary data, core competitive technology ------
CONFIDENTIAL: tuple[str, ...] = (
    # English
    "our proprietary dataset", "our proprietary data", "proprietary dataset*", "proprietary data",
    "proprietary training data", "proprietary footage", "proprietary model*",
    "proprietary algorithm*", "proprietary technology", "proprietary technique*",
    "proprietary method*", "proprietary source code", "our proprietary", "internal only",
    "internal use only", "for internal use", "internal data", "internal dataset*",
    "internal documents", "under nda", "nda", "non disclosure agreement", "non disclosure",
    "confidential", "confidentially", "trade secret*", "company secret*", "secret sauce",
    "unreleased", "unannounced", "not yet released", "not yet announced", "yet to be announced",
    "upcoming untitled", "untitled project", "untitled feature", "internal codename",
    "project codename", "embargo*", "client footage", "client data", "client assets",
    "client's footage", "clients' footage", "studio's footage", "cannot share", "can't share",
    "cannot be shared", "can't be shared", "cannot disclose", "can't disclose", "cannot show",
    "can't show", "not allowed to show", "not able to share", "unable to share", "not public",
    "not publicly available", "privately held data", "private dataset*", "core competitive",
    "core competency", "core competencies", "crown jewel*", "not for public", "secret project",
    "source code of our",
    # French
    "donnees proprietaires", "jeu de donnees proprietaire", "notre jeu de donnees interne",
    "usage interne", "confidentiel", "confidentielle", "secret industriel", "secret commercial",
    "sous nda", "accord de confidentialite", "non publie", "non sorti", "pas encore sorti",
    "images du client", "que nous ne pouvons pas montrer", "ne pouvons pas partager",
    # German
    "proprietare daten", "proprietaren datensatz", "interner datensatz", "interne daten",
    "nur fur den internen gebrauch", "vertraulich*", "geschaftsgeheimnis*", "betriebsgeheimnis*",
    "unter nda", "geheimhaltungsvereinbarung", "unveroffentlicht*", "noch nicht veroffentlicht",
    "kundenmaterial", "nicht zeigen durfen", "nicht teilen durfen",
    # Spanish / Portuguese
    "datos propietarios", "conjunto de datos propietario", "datos internos", "dados proprietarios",
    "conjunto de dados proprietario", "dados internos", "uso interno", "confidencial*",
    "secreto comercial", "segredo comercial", "segredo industrial", "bajo nda", "sob nda",
    "acuerdo de confidencialidad", "acordo de confidencialidade", "no publicado", "nao publicado",
    "sin estrenar", "inedito", "material del cliente", "material do cliente",
    "no podemos compartir", "nao podemos compartilhar", "no podemos mostrar",
    "nao podemos mostrar",
    # Japanese
    "社外秘", "機密", "秘密保持契約", "守秘義務", "独自データセット", "自社データセット",
    "社内データ", "非公開", "未発表", "未公開", "企業秘密", "営業秘密", "クライアントの素材",
    "公開できない", "お見せできない",
    # Chinese
    "机密", "機密", "保密协议", "保密協議", "专有数据", "專有數據", "内部数据", "內部數據",
    "私有数据集", "内部使用", "未发布", "未發布", "未公开", "未公開", "商业秘密", "商業秘密",
    "客户素材", "客戶素材", "不能公开", "无法分享",
    # Korean
    "기밀", "비밀유지계약", "비밀 유지 계약", "독점 데이터", "사내 데이터", "내부 데이터",
    "내부용", "미공개", "미발표", "영업 비밀", "영업비밀", "고객 소스", "공개할 수 없",
)
# A negation within a few words before a confidential term cancels it: "no proprietary
# data", "without client footage", "nothing confidential", "non-confidential".
NEGATION_BEFORE: tuple[str, ...] = (
    "no", "not", "non", "without", "never", "nothing", "none", "neither", "nor", "free of", "zero",
    "avoid", "avoided", "avoiding", "instead of", "rather than", "only public", "not using",
    "no use of", "removed", "excluded", "excluding", "sans", "pas de", "aucun", "aucune", "ni",
    "kein", "keine", "keinen", "keiner", "ohne", "nicht", "sin", "ningun", "ninguna", "ningún",
    "ninguno", "sem", "nenhum", "nenhuma", "nao", "no hay", "非", "无", "無", "没有", "沒有",
    "不含", "不使用", "未使用", "없는",
)
# CJK scripts negate after the term: 機密情報は含みません, 不包含, 포함하지 않
NEGATION_AFTER: tuple[str, ...] = (
    "含みません", "含まない", "含んでいません", "使用していません", "使っていません", "使用しない",
    "ではありません", "不包含", "未使用", "포함하지 않", "포함되지 않", "사용하지 않", "없습니다",
)
# Phrases that look like the domain and are not: "few-shot learning", "game theory".
DOMAIN_FALSE_FRIENDS: tuple[str, ...] = (
    "zero shot", "few shot", "one shot", "single shot", "multi shot", "n shot", "k shot",
    "shot learning", "shot prompting", "shots of", "game theory", "game theoretic",
    "visual studio", "android studio", "rstudio", "r studio", "ai studio", "studio code",
    "sagemaker studio", "azure ai studio", "ml studio", "data studio", "looker studio",
)
# Words just before "pricing" that make it a cost comparison, not a price list.
PRICE_CONTEXT: tuple[str, ...] = (
    "cloud", "gpu", "gpus", "spot", "instance", "instances", "compute", "aws", "azure", "gcp",
    "vendor", "vendors", "on demand", "reserved", "api", "token", "tokens", "storage", "egress",
    "their", "compared", "comparing", "versus", "vs", "and",
    # A user's own bill: "licence cost per seat mattered more than GPUs", "we paid per month".
    "cost", "costs", "paid", "spent", "licence", "license",
)
