"""The words of the confidential rule: company secrets, proprietary data, unreleased work,
and the negations that cancel them.

Source and licence: written for this project by its authors (MIT, as the rest of wgml-bot)
from the session guidelines in the working group's annual review and from the vocabulary of
public talk programs; the translations are the authors' own. No third-party word list is
copied (bot/guidelines/lexicon/__init__.py says more, and the syntax of a term).
"""

from __future__ import annotations

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
    # Unannounced or upcoming work, a client's material, in-house data that may not go out.
    "not yet been announced", "not been announced", "not yet been released", "not yet public",
    "yet to be released", "not yet been made public", "our next feature", "our next film",
    "our next show", "our next game", "our upcoming", "upcoming feature", "upcoming film",
    "upcoming title", "upcoming game", "upcoming season", "still in production for",
    "footage from the client", "the client's", "a client's", "named client", "cannot release",
    "can't release", "cannot be released", "not licensed for release", "not cleared for release",
    "in house data", "in house dataset*", "internal tools we", "proprietary pipeline",
    "pipeline source code", "our core technology", "core technology", "embargoed",
    # Said the other way round ("has not been released yet"), of a premiere, of a studio's
    # own material or a client's show.
    "not been released yet", "hasn't been released", "has not been released",
    "have not been released", "not released yet", "not yet premiered", "yet to premiere",
    "not premiered", "upcoming release*", "pre release", "prerelease", "studio's proprietary",
    "proprietary simulation*", "proprietary cache*", "proprietary asset*", "proprietary rig*",
    "client show*", "client project*", "client's show", "internal training data",
    "in house training data",
    "pas encore annonce", "non annonce", "notre prochain film", "noch nicht angekundigt",
    "unangekundigt*", "aun no anunciado", "no anunciado", "proximo largometraje",
    "ainda nao anunciado", "nao anunciado", "ineditos", "ineditas", "inedita", "ainda inedit*",
    "dados de treino internos", "dados de treinamento internos", "datos de entrenamiento internos",
    "donnees d'entrainement internes", "interne trainingsdaten",
    "発表前", "開発中の新作", "尚未公布", "未公布",
    "尚未发布", "아직 발표되지 않은", "발표되지 않은", "공개 전",
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
    "공개되지 않은", "고객사 작품", "고객사의 작품",
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
