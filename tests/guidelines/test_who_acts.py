"""The guidelines engine on who acts: a vendor page in the third person with the product as
the subject is a pitch, a studio or an artist using a product is not; a confidential risk
said without the word "confidential", and its negation; an applied paper-style abstract is
practical. The texts are written for the tests (no case of the bench's sets)."""

from __future__ import annotations

import pytest

from bot.guidelines import check


def rules(title: str, abstract: str, results: str = "") -> set[str]:
    return {c.rule for c in check(title, abstract, results)}


# --- pitch: a product as the subject ------------------------------------------------------
@pytest.mark.parametrize(("title", "abstract"), [
    ("Lumen Matte: AI roto for compositors",
     "Lumen Matte is a plugin that isolates people in footage in seconds. Lumen Matte gives "
     "compositors clean mattes without manual roto, and it is now in beta with annual "
     "licensing for studios of any size."),
    ("Gridline Farm", "Gridline Farm has launched a new version of its cloud render service. "
     "Gridline Farm delivers frames for Maya, Houdini and Blender overnight, and its "
     "customers pay only for the hours they use."),
    ("Motiva: la IA para animadores", "Motiva es una herramienta de animación con IA que "
     "ajusta las poses de personajes. Motiva permite a los animadores crear acrobacias "
     "realistas en minutos."),
    ("PoseKit动画工具发布", "PoseKit发布全新AI动画解决方案,无需重构管线即可生成关键帧之间的动画。"),
])
def test_a_product_as_the_subject_of_an_offer_is_a_pitch(title: str, abstract: str) -> None:
    assert "pitch" in rules(title, abstract)


@pytest.mark.parametrize(("title", "abstract", "results"), [
    ("Roto with Lumen Matte on our show",
     "Our compositors used Lumen Matte on 300 shots of the show. Lumen Matte gives a first "
     "matte; we measured how much manual roto it saved and where it failed.",
     "Roto time down 40%; hair and motion blur still need an artist."),
    ("A cat's muscles with Ziva", "On a personal project I used Ziva to simulate the muscles "
     "and skin of a cat, and I describe how I set up the rig and the simulation.", ""),
    ("Crowds on a short film", "The studio's artists used Golaem to generate the crowd "
     "scenes, which we covered with cameras and cut in editorial.", ""),
])
def test_a_studio_or_artist_using_a_product_is_welcome(title: str, abstract: str,
                                                        results: str) -> None:
    assert check(title, abstract, results) == []


def test_the_pitch_reason_quotes_the_product_acting() -> None:
    said = [c.reason for c in check("Gridline Farm", "Gridline Farm has launched a cloud "
                                    "render service. Gridline Farm delivers frames overnight.",
                                    "") if c.rule == "pitch"]
    assert said and "Gridline Farm" in said[0]


# --- practical: applied work in any voice ---------------------------------------------------
@pytest.mark.parametrize(("title", "abstract"), [
    ("Neural face replacement for stunt shots", "The studio's face system uses neural "
     "rendering to give each stunt double the lead actor's likeness with the lighting of the "
     "shot. It was designed around production issues such as high resolution and HDR."),
    ("Learned skinning for game characters", "A skinning network was trained on the "
     "studio's rigged characters and built into the animators' tools in Maya."),
    ("Kernel-predicting denoising for feature films", "We propose a denoiser for production "
     "path tracing and describe how it fits the renderer on the films of the studio."),
])
def test_an_applied_abstract_is_practical(title: str, abstract: str) -> None:
    assert "practical" not in rules(title, abstract)


def test_a_survey_titled_so_is_not_practical() -> None:
    assert "practical" in rules("Survey: machine learning in production rendering",
                                "This survey summarizes how neural networks improved "
                                "denoising in animated films, some used in released films.")


# --- confidential without the word ------------------------------------------------------------
@pytest.mark.parametrize("risk", [
    "We will demonstrate on the hero rigs of our next feature, which has not yet been "
    "announced.",
    "The talk shows tracked plates from the client's show still in production.",
    "Our in-house dataset is not licensed for release, so we show only its statistics.",
    "発表では、発表前の新作のアニメーションデータをそのままお見せします。",
])
def test_a_risk_said_without_the_word_confidential(risk: str) -> None:
    abstract = "We trained a deformer network for character rigs and measured its speed. "
    assert "confidential" in rules("Parallel rigs", abstract + risk, "Rig evaluation 3x faster.")


@pytest.mark.parametrize("safe", [
    "No footage from the client is shown; every shot comes from our own short film.",
    "All footage is public, from the released film's trailer.",
])
def test_its_negation_raises_nothing(safe: str) -> None:
    abstract = "We trained a deformer network for character rigs and measured its speed. "
    assert "confidential" not in rules("Parallel rigs", abstract + safe,
                                       "Rig evaluation 3x faster.")


# --- relevance: another domain's context outweighs a shared technique ---------------------------
@pytest.mark.parametrize(("title", "abstract"), [
    ("Neural rendering for robots", "We reconstruct warehouse scenes with NeRF from sensor "
     "logs so that perception models for robotics train on rendered views."),
    ("Server-side rendering and hydration", "Server-side rendering shows a web page at "
     "once; we prefetch JavaScript bundles in the browser to cut hydration time."),
])
def test_a_shared_technique_in_another_domain_is_not_relevant(title: str, abstract: str) -> None:
    assert "relevance" in rules(title, abstract, "Load time down 30%.")


def test_a_webinar_invitation_is_a_pitch() -> None:
    assert "pitch" in rules("AI roto for compositors", "See how compositors cut roto time on "
                            "feature shots. Register for our webinar on Thursday.")


def test_a_french_elision_reads_the_word_after_it() -> None:
    assert "relevance" not in rules("L'IA dans l'animation", "Nous avons entraîné un modèle "
                                    "pour l'animation des personnages d'un long métrage.",
                                    "Le temps d'animation a baissé de 30 %.")
