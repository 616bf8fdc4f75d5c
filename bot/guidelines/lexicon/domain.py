"""The words of the relevance rule: the VFX, animation, film, games and production domain,
its look-alikes, and the other domains a talk may read as.

Source and licence: written for this project by its authors (MIT, as the rest of wgml-bot)
from the session guidelines in the working group's annual review and from the vocabulary of
public talk programs; the translations are the authors' own. No third-party word list is
copied (bot/guidelines/lexicon/__init__.py says more, and the syntax of a term).
"""

from __future__ import annotations

# --- relevance: the VFX, animation, film, games and production domain -----------------
# STRONG: words that alone place a talk in the domain.
DOMAIN_STRONG: tuple[str, ...] = (
    # English
    "vfx", "visual effects", "visual effect", "special effects", "animation*", "animator*",
    "animated", "film*", "movie*", "cinema*", "feature film", "short film", "tv series", "episodic",
    "television", "commercials", "filmmak*", "previs*", "postvis", "post production",
    "postproduction", "compositing", "compositor*", "comp artist*", "rotoscop*", "roto", "matte",
    "mattes", "matting", "keying", "green screen", "greenscreen", "blue screen", "plate", "plates",
    "shot", "shots", "per shot", "lookdev", "look development", "look dev", "lighting artist*",
    "texturing", "texture artist*", "rig", "rigs", "rigging", "rigger*", "deformer*", "skinning",
    "blendshape*", "blend shape*", "keyframe*", "key frame*", "inbetween*", "in between*",
    "motion capture", "mocap", "performance capture", "facial capture", "face capture", "retarget*",
    "lip sync", "lipsync", "groom*", "hair simulation", "fx artist*", "fx simulation",
    "simulation artist*", "fluid simulation", "destruction", "layout artist*", "storyboard*",
    "concept art*", "matte painting", "set dressing", "virtual production", "led volume",
    "led wall", "in camera vfx", "icvfx", "dcc", "dccs", "houdini", "maya", "nuke", "nukex",
    "katana", "blender", "unreal engine", "unreal", "renderman", "arnold render*", "v ray", "vray",
    "redshift", "usd", "openusd", "openexr", "exr", "materialx", "opencolorio", "ocio", "openvdb",
    "openimageio", "oiio", "osl", "alembic", "shotgrid", "shotgun", "ftrack", "substance", "zbrush",
    "mari", "cinema 4d", "3ds max", "davinci resolve", "after effects", "silhouette", "mocha",
    "copycat", "davinci", "premiere pro", "autodesk flame", "unity engine", "game", "games",
    "gaming", "video game*", "game engine*", "game dev*", "aaa", "cutscene*", "npc", "npcs",
    "level design", "esports", "studio", "studios", "artist*", "digital human*", "digital double*",
    "de aging", "deaging", "face replacement", "character animation", "creature*", "cg", "cgi",
    "character rig*", "colour grading", "color grading", "grading", "colorist*", "colourist*",
    "dailies", "editorial", "conform", "vfx supervisor*", "art direct*", "cel animation", "anime",
    "stop motion", "2d animation", "3d animation", "ilm", "industrial light", "weta", "wētā",
    "dneg", "framestore", "pixar", "dreamworks", "disney animation", "walt disney",
    "sony pictures imageworks", "imageworks", "image engine", "mpc", "rising sun pictures", "laika",
    "illumination", "animal logic", "digital domain", "scanline", "rodeo fx", "mikros", "cinesite",
    "sesame street", "netflix animation", "foundry", "autodesk", "sidefx", "aswf",
    "academy software foundation", "siggraph", "digipro", "fmx", "annecy", "vfx pipeline",
    "production pipeline", "render farm*", "renderfarm*", "media and entertainment",
    "entertainment industry", "film industry", "hollywood", "wrangler*", "technical director*",
    "technical artist*", "pipeline td*", "concept artist*", "look dev artist*", "stock footage",
    "inventory item*", "inventory icon*", "inventory system*", "game asset*",
    # A studio's own production words: its departments, its shows, its pipeline's tools.
    "art department", "in comp", "comp artist*", "optical marker*", "finger marker*",
    "marker data", "mocap marker*", "asset librar*", "pipeline doc*", "pipeline tool*",
    "pipeline engineer*", "per show", "each show", "every show", "across shows", "on the show",
    "the show's", "delivery resolution", "render node*",
    "sports game*", "ea sports",
    # Television and localisation work: subtitles and dubbing are the trade's own.
    "tv", "tv show*", "subtitl*", "dubbing", "dubbed", "voice over", "sous titr*", "doublage",
    "untertitel*", "subtitulos", "subtitulado", "doblaje", "legendas", "dublagem", "字幕",
    "吹き替え", "配音", "자막", "더빙",
    # French
    "effets visuels", "effets speciaux", "cinema", "long metrage", "court metrage", "dessin anime",
    "animateur*", "animatrice*", "etalonnage", "plan par plan", "tournage", "personnage*",
    "studio d'animation", "decor*", "habillage", "incrustation", "jeu video", "jeux video",
    "images de synthese", "monteur*", "monteuse*", "rushes",
    # German
    "spezialeffekte", "visuelle effekte", "trickfilm*", "zeichentrick*", "filmproduktion*",
    "kinofilm*", "spielfilm*", "animationsfilm*", "videospiel*", "computerspiel*",
    "spieleentwicklung", "filmstudio*", "postproduktion", "compositing",
    # Spanish / Portuguese
    "efectos visuales", "efeitos visuais", "efectos especiales", "efeitos especiais", "pelicula*",
    "peliculas", "largometraje*", "cortometraje*", "animacion*", "animacao", "animacoes",
    "animadores", "personaje*", "personagem", "personagens", "videojuego*", "videojogo*", "jogos",
    "juegos", "posproduccion", "pos producao", "postproduccion", "estudio de animacion",
    "estudios de animacion", "estudio de animacao", "produtora*", "cinematograf*", "filmagem",
    "rodaje", "captura de movimiento", "captura de movimento", "composicion", "composicao",
    # Japanese
    "アニメーション", "アニメ", "映像制作", "映画", "視覚効果", "特殊効果", "ＶＦＸ",
    "コンポジット", "コンポジティング", "ロトスコープ", "リギング", "リグ", "モーションキャプチャ",
    "モーキャプ", "キャラクター", "ゲーム", "3dcg", "ＣＧ", "アニメーター", "作画", "中割り",
    "彩色", "原画", "絵コンテ", "背景美術", "制作パイプライン", "シェーダー", "スタジオ",
    "セルアニメ", "モーション",
    # Chinese
    "视觉特效", "特效", "视效", "動畫", "动画", "电影", "電影", "影视", "影視", "抠像", "摳像",
    "绑定", "綁定", "动作捕捉", "動作捕捉", "动捕", "游戏", "遊戲", "美术", "美術", "制片",
    "后期制作", "後期製作", "数字人", "數字人", "原画", "中间帧", "特效师", "动画师", "動畫師",
    "动漫", "動漫", "分镜", "分鏡",
    # Korean
    "시각효과", "시각 효과", "특수효과", "애니메이션", "영화", "컴포지팅", "로토스코핑", "리깅",
    "모션 캡처", "모션캡처", "캐릭터", "게임", "스튜디오", "아티스트", "후반 작업", "후반작업",
    "작화", "콘티",
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
                   "診断", "医疗", "醫療", "患者", "病院", "医院", "의료", "환자", "병원",
                   "ct scan*", "ct", "mri", "x ray*", "patholog*", "tumor*", "tumour*",
                   "lesion*", "surgery", "surgical", "disease*", "cancer", "clinician*",
                   "imagerie medicale", "medizinisch*", "imagen medica", "imagem medica",
                   "病理", "腫瘍", "肿瘤", "疾病", "의료 영상", "질병"),
    "autonomous driving": ("autonomous driving", "self driving", "autonomous vehicle*",
                           "adas", "conduite autonome", "autonomes fahren", "conduccion autonoma",
                           "automated driving", "driver assistance", "driving scene*",
                           "driving simulat*", "robotaxi*", "fahrerassistenz*",
                           "vehicule autonome", "vehiculo autonomo",
                           "veiculo autonomo", "自動運転", "運転支援", "自动驾驶", "自動駕駛",
                           "智驾", "辅助驾驶", "智能驾驶", "자율주행", "자율 주행"),
    "sports analytics": ("sports", "sport", "football", "soccer", "basketball", "baseball",
                         "tennis", "cricket", "athlete*", "coaches", "coaching", "referee*",
                         "player tracking", "match analysis", "sportif*", "deportiv*",
                         "fussball", "futbol", "futebol", "スポーツ", "体育", "體育", "足球",
                         "篮球", "스포츠", "축구"),
    "surveillance": ("surveillance", "cctv", "security camera*", "crime*", "police",
                     "law enforcement", "public safety", "burglary", "videosurveillance",
                     "videouberwachung", "uberwachungskamera*", "videovigilancia",
                     "videomonitoramento", "監視カメラ", "防犯", "监控", "安防", "감시"),
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
    "web development": ("javascript", "react server components", "reactjs", "browser*",
                        "web app*", "web application*",
                        "website*", "frontend", "front end", "server side", "hydration",
                        "web page*", "page load*", "web server*", "ウェブサイト", "网页",
                        "前端", "웹사이트", "프론트엔드"),
    "film scholarship": ("digital humanities", "scholarship", "distant reading",
                         "close reading*", "historiograph*", "film historians",
                         "humanites numeriques", "humanidades digitales"),
    "robotics or autonomy": ("robotics", "robotic*", "robot arm*", "robot learning",
                             "robot navigation", "robot manipulation", "autonomy stack",
                             "perception model*", "sensor log*", "sensor data", "lidar",
                             "embodied agent*", "embodied ai", "visuomotor",
                             "image goal navigation", "navigation polic*", "mobile robot*",
                             "ロボット",
                             "机器人", "機器人", "로봇"),
    "theme parks or retail": ("theme park*", "amusement park*", "park guests", "in store",
                              "shoppers", "storefront*", "guest experience*",
                              "consumer product*", "animatronic*",
                              "テーマパーク", "主题公园", "테마파크"),
    "game live operations": ("player retention", "toxicity", "toxic", "profanity",
                             "chat moderation", "content moderation", "cheat detection",
                             "cheaters", "anti cheat",
                             "in game economy", "monetization", "monetisation", "욕설", "이탈",
                             "チート", "外挂", "作弊"),
    "speech or text analytics": (
        "sentiment analysis", "speech recognition", "machine translation", "named entity",
        "text classification", "spam", "音声認識", "机器翻译",
        "语音识别", "음성 인식", "감성 분석"),
}

# SHARED: the domain's techniques, which other fields use too (NeRF and splatting for driving
# simulation, rendering of CT volumes, surveillance footage, crowd counting): half a domain
# term each, so they alone do not outweigh another domain's words.
DOMAIN_SHARED: tuple[str, ...] = (
    "render*", "path trac*", "ray trac*", "denois*", "shader*", "shading", "mesh*", "point cloud*",
    "nerf*", "gaussian splat*", "splat*", "photogrammetry", "lidar scan*", "3d scan*", "3d model*",
    "uv", "uvs", "voxel*", "volumetric*", "upres", "upscal*", "super resolution",
    "defocus", "reference photo*", "performer*", "gpu farm*", "crunch",
    "frame interpolation", "frame rate", "motion blur", "depth of field", "optical flow", "footage",
    "digital asset*", "3d asset*", "deepfake*", "face swap*", "crowd*", "cloth", "rendering",
    "gerendert", "renderzeit*", "rendu", "rendus", "renderizado", "renderizacao", "renderizar",
    "charakter*", "figuren", "beleuchtung", "iluminacion", "iluminacao", "quadros", "fotograma*",
    "レンダリング", "撮影", "映像", "ライティング", "渲染", "合成", "三维", "三維", "角色", "镜头",
    "鏡頭", "렌더링", "합성", "영상",
)

# Words of OFF_TOPIC's that studios use too (commercials are advertising, trailers are
# marketing): half a word of another domain each.
OFF_TOPIC_SHARED: frozenset[str] = frozenset({
    "ads", "advertis*", "publicite*", "werbung", "anuncios", "publicidad", "publicidade", "広告",
    "广告", "廣告", "광고", "marketing", "campaign*", "brands", "tickets", "vermarktung",
    "mercadotecnia", "マーケティング", "营销", "마케팅",
})

# Phrases that look like the domain and are not: "few-shot learning", "game theory".
DOMAIN_FALSE_FRIENDS: tuple[str, ...] = (
    "zero shot", "few shot", "one shot", "single shot", "multi shot", "n shot", "k shot",
    "shot learning", "shot prompting", "shots of", "game theory", "game theoretic",
    "digital humanities",
    "visual studio", "android studio", "rstudio", "r studio", "ai studio", "studio code",
    "sagemaker studio", "azure ai studio", "ml studio", "data studio", "looker studio",
)
