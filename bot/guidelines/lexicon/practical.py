"""The words of the practical rule: an experiment and its result, or what reads as a survey,
theory or position piece instead.

Source and licence: written for this project by its authors (MIT, as the rest of wgml-bot)
from the session guidelines in the working group's annual review and from the vocabulary of
public talk programs; the translations are the authors' own. No third-party word list is
copied (bot/guidelines/lexicon/__init__.py says more, and the syntax of a term).
"""

from __future__ import annotations

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
        "survey", "overview", "overview of", "trends", "trend", "landscape",
        "state of the art review", "review of", "the state of", "the future of", "future of",
        "what's next", "what is next", "where we are headed", "coming years", "next decade",
        "hype", "hype cycle", "market size", "the market", "market trends", "outlook", "roundup",
        "panel", "panelists", "panel discussion", "round table", "roundtable", "fireside chat",
        "podcast", "explores how", "will change", "will transform",
        "will revolutionize", "revolutionize", "revolution", "transformative", "implications",
        "opportunities and challenges", "the impact of", "impact on", "new era", "era of",
        "the age of", "the rise of", "is changing", "are changing", "is transforming",
        "are transforming", "reshap*", "reinvent*", "disrupt*", "democratiz*", "democratis*",
        "what it means", "what this means", "what that means", "means for", "must know",
        "need to know", "thought leader*", "industry leaders",
        "paradigm shift", "paradigm", "questionnaire", "respondents", "industry survey",
        "tour d'horizon", "etat des lieux", "enquete", "opportunite", "tendances", "panorama",
        "etat de l'art", "l'avenir", "avenir",
        "table ronde", "l'impact", "enjeux", "zukunft", "uberblick", "ueberblick",
        "podiumsdiskussion", "diskussionsrunde", "auswirkungen", "wandel", "tendencias",
        "futuro", "el futuro", "o futuro", "estado del arte", "estado da arte", "mesa redonda",
        "el impacto", "o impacto", "revolucion", "revolucao", "transformando",
        "サーベイ", "総説", "概観", "動向", "トレンド", "展望", "未来", "将来",
        "パネルディスカッション", "対談", "座談会", "時代", "変革", "综述", "綜述", "趋势", "趨勢",
        "未來", "概览", "概述", "パラダイム", "范式", "패러다임", "圆桌", "圓桌", "时代", "变革",
        "變革", "동향", "트렌드", "전망",
        "미래", "개관", "서베이", "좌담", "대담", "시대", "위기와 기회"),
    "theory": (
        "theorem*", "proof", "prove", "we prove", "bound", "bounds", "generalization bound*",
        "convergence rate*", "sample complexity", "computational complexity", "rademacher",
        "asymptotic*", "lemma", "theoretical",
        "theoretically", "formalism", "axiom*", "mathematical framework", "theoreme", "theorique",
        "theorie", "theoretisch", "beweis*", "teorema", "teorico", "teorica", "teoria", "定理",
        "証明", "理論", "证明", "理论", "정리", "증명", "이론"),
    "a position piece": (
        "we argue", "i argue", "argues", "position paper", "manifesto", "essay", "opinion",
        "op ed", "philosoph*", "ethic*", "should we", "must we", "debate", "reflection",
        "reflections", "our vision", "thought leadership", "provocation", "we believe",
        "i believe", "in my view", "should be cautious", "makes the case", "make the case",
        "asking whether", "asks whether", "the case for", "the case against", "commentary",
        "tribune", "kommentar", "columna", "コラム", "专栏", "칼럼",
        "nous soutenons", "reflexion", "debat", "wir argumentieren", "defendemos",
        "argumentamos", "reflexao", "na visao", "考察", "提言", "思考", "观点", "觀點", "관점",
        "제언", "논한다"),
    # A text saying of itself that it reports no experiment of its own, or retells others'.
    "an overview without an experiment": (
        "without an experiment", "no experiment of its own", "not a report of",
        "no results of its own", "based on press reports", "based on news reports",
        "sin un experimento propio", "sin experimento propio", "vision general",
        "sans experience propre", "ohne eigenes experiment", "sem experimento proprio",
        "報告ではない", "報道記事をもとに", "実験結果は示さない", "실험 결과는 제시하지 않",
        "결과는 제시하지 않", "회고했다", "并非实验", "没有实验结果"),
}

# Work made or used (a method, a tool, a pipeline, something built for production): a
# paper-style abstract without numbers is still practical. Weighs against THEORY's words.
APPLIED: tuple[str, ...] = (
    "we present", "we describe", "we propose", "we introduce", "we develop", "we build",
    "we use", "we apply", "we train", "we learn", "we explain how", "we show how", "we share",
    "share how", "shares how", "we cover", "we represent", "how we", "our pipeline",
    "our system", "our tool*", "our method", "our approach", "our framework", "our workflow",
    "our team", "in production", "production pipeline", "on set", "on the show", "on the film",
    "built on", "developed with", "build tools", "a tool", "tools", "workflow", "prototype",
    "walks through", "walk through", "breakdown", "break down", "behind the scenes",
    "making of", "step by step",
    "nous presentons", "nous proposons", "nous decrivons", "notre pipeline", "notre outil",
    "notre methode", "wir stellen", "wir zeigen", "unsere pipeline", "unser werkzeug",
    "presentamos", "proponemos", "describimos", "apresentamos", "propomos", "descrevemos",
    "herramienta*", "ferramenta*", "outil*", "werkzeug*", "開発した", "構築", "手法", "ツール",
    "提案する", "我们提出", "我们开发", "提出", "工具", "方法", "工作流程", "工作流", "技术方案",
    "展示", "用于", "应用于", "采用", "を用いた", "を活用", "を使用", "使用し", "우리 방식", "구축",
    "도구", "개발했", "활용", "사용하여",
)

# Someone telling their own work: a text with none of these, no result and no experiment
# reads as commentary on the field.
FIRST_PERSON: tuple[str, ...] = (
    "we", "our", "us", "i", "my", "nous", "notre", "nos", "je", "mon", "ma", "mes", "wir",
    "unser*", "ich", "mein*", "nosotros", "nuestro*", "nuestra*", "mi", "mis", "nosso*",
    "nossa*", "eu", "meu", "minha", "私たち", "我々", "弊社", "当社", "我们", "我們", "我",
    "우리", "저희", "당사",
    # A team told in the third person ("the studio partnered ... to build tools"), or the
    # authors' own paper ("this paper", "本文").
    "the studio", "the team", "their team", "their pipeline", "their studio", "le studio",
    "l'equipe", "das studio", "das team", "el estudio", "el equipo", "o estudio", "a equipe",
    "this paper", "this work", "本文", "本研究", "本稿", "本論文", "본 연구", "본 논문",
    "本講演", "本発表", "本セッション", "チーム", "本讲座", "本次分享", "本报告", "团队", "團隊",
    "본 발표", "본 강연", "팀",
)
