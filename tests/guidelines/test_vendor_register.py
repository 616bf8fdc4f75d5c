"""The guidelines engine on a vendor's page without a sales word: release notes, launch news,
a manual, a company narrating its own product; and what stays welcome: a studio's own tool,
a studio's titles, a founder telling the studio's tests. The texts are written for the
tests (no case of the bench's sets)."""

from __future__ import annotations

import pytest

from bot.guidelines import check


def rules(title: str, abstract: str, results: str = "") -> set[str]:
    return {c.rule for c in check(title, abstract, results)}


def reason(title: str, abstract: str, rule: str) -> str:
    said = [c.reason for c in check(title, abstract, "") if c.rule == rule]
    assert said, f"no {rule} concern"
    return said[0]


# --- pitch: the register of a vendor's page -----------------------------------------------
@pytest.mark.parametrize(("title", "abstract"), [
    ("What's new in compositing",
     "The new Retime Sculpt node reshapes animation curves from a sketch. Version 2.0 of the "
     "Cache Merge node now supports deep images, and the Layer node now provides a viewer "
     "handle for large crowds."),
    ("Brightline unveils Tessellate",
     "Brightline Labs unveiled the beta of Tessellate, its cloud tool for turning plates "
     "into 3D scenes. The startup, founded by two compositors, raised new funding to grow "
     "the team."),
    ("Setting up the matte node",
     "Navigate to the Tools menu and click the Matte tab. You can use the matte node on any "
     "plate; the plugin must be enabled before the first render."),
    ("Nimbus: rendering in the cloud",
     "The founder of Nimbus presents Nimbus, the cloud render service that grew out of a "
     "small farm, and how its queue spreads frames over idle machines for animation studios."),
    ("PoseLab 소개", "PoseLab는 게임과 영화를 위한 물리 기반 애니메이션 소프트웨어로, PoseLab는 "
     "키 포즈 사이의 동작을 자동으로 채운다."),
])
def test_a_vendor_page_without_a_sales_word_is_a_pitch(title: str, abstract: str) -> None:
    assert "pitch" in rules(title, abstract)


def test_the_reason_quotes_the_announcement() -> None:
    said = reason("Brightline unveils Tessellate",
                  "Brightline Labs unveiled the beta of Tessellate, its cloud tool for turning "
                  "plates into 3D scenes. The startup raised new funding.", "pitch")
    assert "unveiled" in said and said.count(";") == 0


# --- what stays welcome ----------------------------------------------------------------------
@pytest.mark.parametrize(("title", "abstract", "results"), [
    ("Lip-sync from audio on our show",
     "Lip-sync is tedious, so we built Voxrig, a deep learning tool in Maya that learns from "
     "the show's animated shots and sets keys on the rig controllers. Voxrig was trained on "
     "the studio's own data.", "Animators kept 70% of the generated keys."),
    ("Tagging dailies with video understanding",
     "Netflix launches hundreds of shows a year, and we trained models that tag characters "
     "and shots in dailies to save editors hours.", "Tagging time fell from hours to minutes."),
    ("Ce que l'IA générative change pour les décors",
     "Le studio a testé la génération des décors du film à partir des dessins du chef "
     "décorateur ; son fondateur décrit les essais du studio et le travail du compositing.",
     "Un tiers des décors générés a été gardé après retouche."),
    ("Our one-month short film challenge",
     "We tried to animate a short film in one month with mocap and image-to-3D tools, and we "
     "describe what failed on the shoot.", "We finished 6 of 10 minutes."),
])
def test_a_studio_telling_its_own_work_is_not_a_pitch(title: str, abstract: str,
                                                       results: str) -> None:
    assert "pitch" not in rules(title, abstract, results)


# --- confidential: a vendor's claim is not a leak; a studio's material is -------------------
def test_a_vendors_proprietary_technology_is_its_pitch_not_a_secret() -> None:
    found = rules("Trackr: planar tracking for compositors",
                  "Trackr is a 2D tracker that needs no point tracks. Our tools are based on "
                  "our proprietary planar technology, and Trackr now supports roto splines.")
    assert "pitch" in found and "confidential" not in found


@pytest.mark.parametrize("risk", [
    "We will show it trained on our studio's proprietary simulation caches from a client show "
    "that has not been released yet.",
    "We will demonstrate it on masters of upcoming releases that have not yet premiered.",
    "Na apresentação exibiremos episódios ainda inéditos e os dados de treino internos.",
])
def test_unreleased_work_said_another_way_is_confidential(risk: str) -> None:
    assert "confidential" in rules("Learned cloth for hero shots",
                                   "We trained a cloth network in Houdini for our "
                                   "animation pipeline. " + risk,
                                   "Cloth sims ran 10x faster.")


# --- relevance: another field sharing the domain's words ------------------------------------
@pytest.mark.parametrize(("title", "abstract"), [
    ("Radiance fields for robot navigation",
     "We use NeRF as the memory of embodied agents for visuomotor navigation, with a planner "
     "and an image goal navigation policy evaluated in real rooms."),
    ("Machine learning for animation history",
     "A digital humanities project applies computer vision to a corpus of old films, with "
     "distant reading and close readings for scholarship on the history of animation."),
])
def test_another_field_sharing_the_words_is_not_relevant(title: str, abstract: str) -> None:
    assert "relevance" in rules(title, abstract)


# --- practical: a text that says it has no experiment of its own ----------------------------
@pytest.mark.parametrize(("title", "abstract"), [
    ("La IA en los efectos visuales", "Este artículo explora cómo los artistas de VFX ven las "
     "herramientas de IA en el pipeline de composición. Es una visión general sin un "
     "experimento propio."),
    ("ゲーム開発における画像生成AIの導入",
     "本稿は報道記事をもとに、ゲームスタジオの画像生成AI導入とアニメーション制作への影響を分析する。"
     "自ら実装した結果の報告ではない。"),
])
def test_a_declared_overview_is_not_practical(title: str, abstract: str) -> None:
    assert "practical" in rules(title, abstract)


def test_reported_speech_is_not_someone_telling_an_experiment() -> None:
    assert "pitch" in rules("보이스랩, AI 더빙을 말하다",
                            "보이스랩의 AI 더빙 솔루션은 대사를 번역하고 배우의 목소리로 음성을 "
                            "합성한다. 김민수 대표는 영상 더빙을 엔드 투 엔드로 만들 수 있다고 "
                            "소개했다.")
