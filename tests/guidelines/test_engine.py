"""The guidelines engine, rule by rule: what raises each concern and what must not (negation,
a user's showcase of a product, a cost comparison naming prices), in several languages and
scripts, on markup, empty and huge text; the same text always gives the same answer."""

from __future__ import annotations

import pytest

from bot.guidelines import RULES, Concern, check

FIT_RESULTS = "Manual roto time down 78% on 40 shots; motion blur and hair still fail."


def rules(title: str, abstract: str, results: str = "") -> set[str]:
    return {c.rule for c in check(title, abstract, results)}


def reason(rule: str, title: str, abstract: str, results: str = "") -> str:
    found = [c for c in check(title, abstract, results) if c.rule == rule]
    assert found, f"no {rule} concern"
    return found[0].reason


# --- fit talks raise nothing --------------------------------------------------------
@pytest.mark.parametrize(("title", "abstract", "results"), [
    ("SAM2 roto assistant", "We built an interactive roto assistant on SAM2 for our "
     "compositors and tested it on production shots.", FIT_RESULTS),
    ("ML deformer for crowds", "We compressed rig deformations with a neural network so crowd "
     "characters can carry facial performances; we hit pitfalls and dead ends.",
     "5-10x faster deformation evaluation on hero rigs."),
    ("Denoising volumes", "We trained a kernel-predicting denoiser on frames from two films "
     "and evaluated it against the studio denoiser.", "Crisper edges, half the samples."),
    ("The scrapheap", "We tried a frame interpolation network for 2D in-betweening, tested it "
     "with our animators on two episodes and abandoned it.", "Animators rejected 80%."),
])
def test_a_fitting_talk_raises_nothing(title: str, abstract: str, results: str) -> None:
    assert check(title, abstract, results) == []


# --- relevance ------------------------------------------------------------------------
def test_relevance_names_what_it_reads_as() -> None:
    said = reason("relevance", "Deep CTR models for ad ranking",
                  "We rank ads by predicted click-through rate with a deep network.",
                  "Online CTR up 4% in an A/B test.")
    assert said.startswith("no VFX, animation or production terms; reads as ad ranking")
    assert "relevance" in rules("Fraud detection with GNNs", "We score credit card "
                                "transactions for fraud with graph neural networks.",
                                "False positives down 20%.")
    assert "reads as a customer-support chatbot" in reason(
        "relevance", "LLM assistants", "An LLM chatbot answers customer support tickets "
        "for a telecom.", "Resolution time from eleven minutes to two.")


@pytest.mark.parametrize(("title", "abstract"), [
    ("NeRF for autonomous driving", "We reconstruct driving scenes with NeRF and Gaussian "
     "splatting to simulate sensor data for self-driving perception, and train on the "
     "rendered views."),
    ("3D models of CT scans", "We segment tumours in CT scans with a 3D model and compare it "
     "with radiologists' outlines."),
    ("Video analytics", "Our pipeline detects people in surveillance footage and flags crime "
     "for the police."),
])
def test_another_domain_sharing_the_domains_words_is_not_relevant(title: str,
                                                                   abstract: str) -> None:
    assert "relevance" in rules(title, abstract, "Accuracy up 6%.")


def test_domain_terms_outweigh_a_word_of_another_domain() -> None:
    assert "relevance" not in rules("Stock footage search for editors", "We built a search "
                                    "over stock footage for our film editors and compositors.",
                                    "Editors found shots in minutes.")


def test_relevance_is_not_fooled_by_few_shot_or_visual_studio() -> None:
    assert "relevance" in rules("Few-shot prompting in Visual Studio", "We tested few-shot "
                                "and zero-shot prompting for code review.", "Accuracy 71%.")


def test_a_production_talk_is_relevant() -> None:
    assert "relevance" not in rules("Lookdev style transfer", "We applied style transfer to "
                                    "look-development frames with our lighting artists.",
                                    "Two days to half a day per look.")


# --- practical --------------------------------------------------------------------------
def test_practical_reads_a_survey_theory_or_position() -> None:
    assert "reads as a trend survey" in reason(
        "practical", "The future of AI in animation", "An overview of trends in generative "
        "AI for animation studios and what the next decade holds.")
    assert "reads as theory" in reason(
        "practical", "Generalization bounds for diffusion models of character animation",
        "We prove generalization bounds via Rademacher complexity and derive convergence "
        "rates under a spectral norm assumption.")
    assert "reads as a position piece" in reason(
        "practical", "Should studios trust generative VFX?", "We argue that studios must "
        "weigh ethics and philosophy before adopting generative tools in VFX.")


def test_results_or_numbers_outweigh_a_survey_word() -> None:
    abstract = "An overview of trends in roto tools for compositors."
    assert "practical" in rules("Roto tools", abstract)
    assert "practical" not in rules("Roto tools", abstract, FIT_RESULTS)
    assert "practical" not in rules("Roto tools", abstract + " We measured a 3x speedup "
                                    "on 200 shots.")


@pytest.mark.parametrize(("title", "abstract"), [
    ("Learned in-betweening for feature animation", "We present a method for in-betweening "
     "keyframed character animation, developed with the animators of a feature film. Our "
     "system proposes poses between the artists' keys inside the production pipeline, and "
     "we describe how it is used on shots."),
    ("A roto tool for our shows", "A roto tool for compositors on our shows."),
    ("Neural deformers in the rigging pipeline", "We propose a neural deformer that "
     "approximates our character rigs so artists can pose them interactively, and describe "
     "its integration in our rigging workflow."),
    ("Rendu neuronal pour le compositing", "Nous présentons notre outil de compositing "
     "neuronal, utilisé par nos artistes sur les plans d'un long métrage."),
    ("背景美術の生成", "本講演では、機械学習を用いた背景美術の生成パイプラインを紹介する。"
     "美術スタッフは生成結果をレタッチして本編に使用する。"),
    ("Neural ink lines", "Imageworks developed a neural line tool for the film's animators, "
     "who refined its strokes shot by shot."),
])
def test_a_paper_style_abstract_without_numbers_is_practical(title: str, abstract: str) -> None:
    """The absence of numbers is not a concern: building or using something on shots is."""
    assert "practical" not in rules(title, abstract)


def test_commentary_on_the_field_is_not_practical() -> None:
    said = reason("practical", "Generative AI and the VFX industry", "Generative AI will make "
                  "visual effects cheaper and may open a new era for independent studios, "
                  "while the industry must reinvent its business models.")
    assert said.startswith("no result or experiment")


# --- pitch --------------------------------------------------------------------------------
def test_pitch_quotes_the_sales_words() -> None:
    said = reason("pitch", "Acme AI for studios", "Our platform is the industry-leading AI "
                  "for VFX studios. Pricing starts at $99; contact our sales team to book "
                  "a demo.")
    assert said.startswith("reads as a product pitch: ")
    assert "'Pricing'" in said and "'contact our sales team'" in said
    assert "pitch" in rules("Cloud render farm", "Render your Maya scenes. Free trial, sign "
                            "up today for free credits.")


@pytest.mark.parametrize(("title", "abstract"), [
    ("Cloud rendering for studios", "Our platform gives your studio unlimited render nodes. "
     "We offer the industry-leading cloud renderer, trusted by award-winning studios: learn "
     "how your artists can render faster than ever."),
    ("Acme Matte 3", "Acme Matte 3 is the world's first AI roto solution. New features in the "
     "latest release mean anyone can cut mattes in a few clicks; plans start at $49."),
    ("RotoAI", "RotoAI is the fastest AI rotoscoping for studios. It lets you cut mattes in "
     "seconds and helps your artists focus on creative work. Available now for Nuke."),
    ("AIロト", "誰でも手軽にハイクオリティなロトスコープを。"
     "新機能を搭載したツールを商品化しました。"),
])
def test_the_vendors_own_voice_is_a_pitch(title: str, abstract: str) -> None:
    assert "pitch" in rules(title, abstract)


def test_a_user_showcasing_a_product_is_welcome() -> None:
    assert check("CopyCat on our show", "We used Nuke's CopyCat in our pipeline to train "
                 "per-shot roto networks for our compositors, and measured the time saved.",
                 FIT_RESULTS) == []
    assert check("Runway and Firefly in previs", "We used Runway and Adobe Firefly in our "
                 "pipeline for previs on a feature and compared them with our storyboard "
                 "artists' boards.", "12 of 80 shots done in hours instead of weeks.") == []


def test_a_cost_comparison_naming_prices_is_not_a_pitch() -> None:
    assert "pitch" not in rules("On-prem versus cloud for ML training", "We trained our "
                                "roto models on on-prem GPUs and cloud instances and compared "
                                "cloud GPU pricing, queue time and egress for a season of "
                                "episodic work.", "Cloud was 2.3x more per training hour.")


# --- confidential -------------------------------------------------------------------------
@pytest.mark.parametrize(("abstract", "quoted"), [
    ("We trained it on our proprietary dataset of artist mattes.", "our proprietary dataset"),
    ("Parts of this talk are under NDA with our partner.", "under NDA"),
    ("We show client footage we cannot share outside the group.", "client footage"),
    ("Shots from an unreleased feature, internal only.", "unreleased"),
    ("The training code is a trade secret of the studio.", "trade secret"),
])
def test_confidential_quotes_what_it_read(abstract: str, quoted: str) -> None:
    said = reason("confidential", "Segmentation in production", abstract, FIT_RESULTS)
    assert said.startswith("mentions ") and f"'{quoted}'" in said


@pytest.mark.parametrize("abstract", [
    "We used public datasets only; no proprietary data or client footage is shown.",
    "Nothing confidential: every frame shown has been published before.",
    "The talk is non-confidential and the rigs are publicly available.",
    "We trained without client footage, on open-source sequences.",
    "We built it on open plates; no client footage is shown.",
    "Sin datos propietarios: solo secuencias públicas.",
])
def test_confidential_reads_negation(abstract: str) -> None:
    assert "confidential" not in rules("Roto with SAM2", abstract + " We built a roto tool "
                                       "for our compositors.", FIT_RESULTS)


# --- languages and scripts --------------------------------------------------------------
@pytest.mark.parametrize(("title", "abstract", "expected"), [
    ("Rotoscopie par IA", "Nous avons entraîné un modèle de rotoscopie pour nos compositeurs "
     "et mesuré un gain de 60 % sur 40 plans.", set()),
    ("Ferme de rendu", "Notre plateforme de rendu : consultez nos tarifs, essai gratuit, "
     "contactez notre équipe commerciale.", {"pitch"}),
    ("Klickraten", "Deep Learning für die Vorhersage von Klickraten in der Online-Werbung.",
     {"relevance"}),
    ("Denoiser", "Wir haben einen Denoiser trainiert; die Bilder stammen aus einem noch nicht "
     "veröffentlichten Spielfilm und sind vertraulich.", {"confidential"}),
    ("El futuro de la IA en los efectos visuales", "Una panorámica de las tendencias de la IA "
     "generativa en el cine y su futuro.", {"practical"}),
    ("Dados", "Treinamos o modelo com dados proprietários do estúdio para a animação.",
     {"confidential"}),
    ("ロトスコープの自動化",
     "機械学習でロトスコープを自動化し、作業時間を40%削減しました。", set()),
    ("社外秘", "未発表作品の映像を含むため、発表内容は社外秘です。"
     "アニメーション制作で検証しました。", {"confidential"}),
    ("公開データ", "公開データで検証したロトスコープ支援ツールです。"
     "機密情報は含みません。作業時間を78%削減。", set()),
    ("广告", "基于深度学习的广告点击率预测,在线实验提升了3%。", {"relevance"}),
    ("降噪", "我们训练了渲染降噪网络,评估结果显示采样数减少一半。", set()),
    ("고객 지원", "대규모 언어 모델 기반 고객 지원 챗봇으로 콜센터 상담을 자동화했다.",
     {"relevance"}),
    ("가격", "애니메이션 스튜디오를 위한 플랫폼. 지금 무료 체험을 시작하고 요금제를 확인하세요.",
     {"pitch"}),
])
def test_languages(title: str, abstract: str, expected: set[str]) -> None:
    got = rules(title, abstract)
    assert expected <= got
    if not expected:
        assert got == set()


def test_any_script_is_answered() -> None:
    for text in ("Дешевый MoCap с помощью AI для инди-студий", "مرحبا بالعالم", "🎬🎞️✨" * 50,
                 "\u202e\u200b\ufeff", "a\x00b\x07c", "ｖｆｘ　ＣＧ　アニメ"):
        assert all(isinstance(c, Concern) for c in check(text, text, text))


# --- markup, empty, huge, determinism -----------------------------------------------------
def test_markup_is_read_as_text() -> None:
    html = ("<p>We <em>trained</em> a denoiser on <a href='https://x.org/pricing'>Finding "
            "Dory</a> frames and evaluated it on Cars 3.</p><script>pricing()</script>")
    assert check("<b>Denoising</b> renders", html, "<ul><li>Half the samples</li></ul>") == []
    markdown = ("## Why us\n- [See our pricing](https://example.org)\n\n**Sign up** today; "
                "contact our sales team.")
    assert "pitch" in rules("**Render farm**", markdown)
    entity = "We trained it on our proprietary&nbsp;dataset &amp; client footage."
    assert "confidential" in rules("Roto", entity, FIT_RESULTS)


def test_empty_text_raises_nothing() -> None:
    assert check("", "", "") == []
    assert check("   ", "\n\t", "...") == []
    assert check(None, None, None) == []  # type: ignore[arg-type]


def test_a_huge_abstract_is_answered_and_read() -> None:
    filler = "We trained a roto network for our compositors and measured 3x on 40 shots. "
    abstract = "Trained on our proprietary dataset. " + filler * 1400  # ~100 KB
    assert len(abstract) > 100_000
    found = check("Roto at scale", abstract, "")
    assert [c.rule for c in found] == ["confidential"]
    assert len(found[0].reason) < 300


def test_the_same_text_gives_the_same_answer() -> None:
    talk = ("Acme", "Our platform: pricing, book a demo; trained on our proprietary dataset.",
            "")
    first = check(*talk)
    assert all(check(*talk) == first for _ in range(5))
    assert [c.rule for c in first] == sorted((c.rule for c in first), key=RULES.index)


def test_reasons_are_one_short_sentence() -> None:
    for c in check("Ads", "Pricing, book a demo, free trial; our proprietary dataset under "
                   "NDA, unreleased; " + "advertising click-through " * 50, ""):
        assert "\n" not in c.reason and len(c.reason) < 300
